// The bench's processes: the demo upstreams (upstreams-process.ts), the server under test, our BFF or
// the reference (server-process.ts), and the load generator, each its own Node process, on ephemeral
// loopback ports only. Here: the ports, and the tracking that stops every child with the bench.
import type { ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";

export const HOST = "127.0.0.1";

/** A free loopback port (the kernel's pick; released just before the server takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  readonly pid: number;
  readonly process: ChildProcess;
  /** The last lines it wrote to stderr (for error messages). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Every process the bench started and has not stopped: killed if the bench exits first (an error, Ctrl-C). */
const live = new Set<ChildProcess>();
process.on("exit", () => live.forEach((child) => child.kill("SIGKILL")));

export function track(child: ChildProcess, name: string): Child {
  if (child.pid === undefined) throw new Error(`bench: could not start ${name}`);
  live.add(child);
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      live.delete(child);
      resolve();
    }),
  );
  return {
    pid: child.pid,
    process: child,
    stderr: () => tail,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
