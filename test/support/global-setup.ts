import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { postgresBin, startPostgres, type PostgresCluster } from "./postgres";

/**
 * PostgreSQL for the checkout journal's shared-database tests, like Redis: CI (.ci/run) starts one
 * and sets DATABASE_URL; locally a throwaway cluster is started when the server binaries exist;
 * without either the suites are skipped loudly, and under CI that is a failure.
 */
async function setupPostgres(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const bin = postgresBin();
  if (!bin) {
    if (process.env.CI) throw new Error("CI must provide PostgreSQL: set DATABASE_URL (.ci/run does)");
    console.error(
      "\n[tests] PostgreSQL not found (/usr/lib/postgresql/*/bin) and DATABASE_URL unset: the PostgreSQL suites will be skipped.\n",
    );
    return;
  }
  const cluster = startPostgres(bin, await freePort());
  (globalThis as { __postgres?: PostgresCluster }).__postgres = cluster;
  process.env.DATABASE_URL = cluster.url;
}

/**
 * Redis for the multi-replica tests. CI (.ci/run) starts one and sets REDIS_URL. Locally, when
 * REDIS_URL is unset and redis-server is installed, a throwaway server is started on a free port.
 * Without either the Redis suites are skipped, loudly, except under CI where that is a failure.
 */
export default async function globalSetup(): Promise<void> {
  await setupPostgres();
  if (process.env.REDIS_URL) return;
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    if (process.env.CI) throw new Error("CI must provide Redis: set REDIS_URL (.ci/run does)");
    console.error("\n[tests] redis-server not found and REDIS_URL unset: the Redis suites will be skipped.\n");
    return;
  }
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  (globalThis as { __redis?: typeof child }).__redis = child;
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  await waitForPort(port);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import("node:net");
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}
