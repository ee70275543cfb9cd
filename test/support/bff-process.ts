import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(__dirname, "..", "..");

/** A BFF (`src/main.ts`, the production entry point) running in a child process. */
export interface ChildBff {
  readonly url: string;
  /** Resolves when the process ends: how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Log lines (JSON) it printed so far. */
  readonly lines: string[];
  kill(): void;
}

/**
 * Starts `src/main.ts` in a child process with exactly `env` (plus PATH), transpiling the sources on
 * the fly, and resolves once it logs that it listens. Rejects if it exits first.
 */
export function spawnBff(env: Record<string, string>): Promise<ChildBff> {
  const child = spawn(process.execPath, ["-r", join(ROOT, "test/support/ts-register.js"), join(ROOT, "src/main.ts")], {
    cwd: ROOT,
    // DEMO_IDP_PORT 0: the demo identity provider main.ts starts in development takes a free port, never 4007.
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", DEMO_IDP_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      if (line.includes('"storefront BFF ready"')) {
        const url = (JSON.parse(line) as { url: string }).url;
        resolve({ url, exited, lines, kill: () => child.kill("SIGKILL") });
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`the BFF exited before it listened (${code ?? signal}): ${stderr.join("").slice(0, 2000)}`)),
    );
  });
}
