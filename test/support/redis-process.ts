import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";

/**
 * A redis-server of the test's own, on a free loopback port, that the test kills, freezes
 * (SIGSTOP, as a black-holed host behaves) and starts again on the same port.
 */
export class RedisProcess {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again) on the same port and resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.child) throw new Error("redis-server is already running");
    this.child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await accepts(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** SIGKILL: connections reset, the port refuses. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    child.kill("SIGCONT"); // a frozen process must run to die cleanly
    child.kill("SIGKILL");
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
  }

  freeze(): void {
    this.child?.kill("SIGSTOP");
  }

  thaw(): void {
    this.child?.kill("SIGCONT");
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** Polls `check` (bounded: `attempts` times, `pauseMs` apart) until it holds; returns how many polls it took, or throws. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  attempts = 400,
  pauseMs = 10,
): Promise<number> {
  for (let n = 0; n < attempts; n++) {
    if (await check()) return n;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`condition not met after ${attempts} polls`);
}
