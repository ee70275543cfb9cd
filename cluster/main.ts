// `npm run cluster`: several BFF replicas sharing one Redis (and PostgreSQL when DATABASE_URL is
// set) behind a round-robin proxy, in front of the demo upstreams, all on 127.0.0.1.
// Flags: --replicas N (3), --port P (5000: the proxy; replicas on P+1.., upstreams on P+11..P+16, Redis on P+20).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { devWebhookSecret } from "../src/config/credentials-config";
import { INVALIDATING_SERVICES, SERVICE_NAMES } from "../src/services";
import { roundRobinProxy } from "./proxy";

const dist = join(__dirname, "..");
const children: ChildProcess[] = [];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { replicas: { type: "string", default: "3" }, port: { type: "string", default: "5000" } },
  });
  const replicas = Number(values.replicas);
  const port = Number(values.port);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 16) throw new Error("--replicas must be 1..16");
  if (!Number.isInteger(port) || port < 1024 || port > 65_000 || (port <= 4006 && port + 20 >= 4000))
    throw new Error("--port must be 1024..65000 and keep clear of 4000..4006");

  ensureRedis();
  const redisPort = port + 20;
  start(
    "redis",
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {},
  );
  await waitForPort(redisPort);

  // The demo invalidating services sign their change events (cache invalidation) with these,
  // and the replicas verify them.
  for (const service of INVALIDATING_SERVICES) {
    const name = `${service.toUpperCase()}_WEBHOOK_SECRET`;
    if (!process.env[name] && !process.env[`${name}_FILE`]) process.env[name] = devWebhookSecret(service);
  }
  const proxyUrl = `http://127.0.0.1:${port}`;
  start(
    "upstreams",
    process.execPath,
    [join(dist, "upstreams", "main.js"), "--port-base", String(port + 11), "--notify", proxyUrl],
    {},
  );
  await Promise.all(SERVICE_NAMES.map((_, i) => waitForPort(port + 11 + i)));

  const urls = Object.fromEntries(
    SERVICE_NAMES.map((name, i) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${port + 11 + i}`]),
  );
  const targets: string[] = [];
  for (let i = 1; i <= replicas; i++) {
    start(`bff-${i}`, process.execPath, [join(dist, "src", "main.js")], {
      ...urls,
      PORT: String(port + i),
      HOST: "127.0.0.1",
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    });
    targets.push(`http://127.0.0.1:${port + i}`);
  }
  await Promise.all(targets.map((_, i) => waitForPort(port + 1 + i)));
  roundRobinProxy(targets).listen(port, "127.0.0.1", () => {
    console.log(
      `cluster: ${replicas} replicas behind ${proxyUrl} (Redis on ${redisPort}${process.env.DATABASE_URL ? ", PostgreSQL from DATABASE_URL" : ""}); Ctrl-C stops it all`,
    );
  });
}

/** Redis from Debian's packages when it is missing (as root), as .ci/run does. */
function ensureRedis(): void {
  if (spawnSync("redis-server", ["--version"]).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error("redis-server is missing: apt-get install redis-server");
  console.log("installing redis-server from Debian's packages");
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  if (
    spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "redis-server"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status !== 0
  ) {
    throw new Error("could not install redis-server");
  }
}

function start(name: string, command: string, args: string[], env: Record<string, string>): void {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
  child.on("exit", (code) => {
    if (!stopping) console.error(`${name} exited (${code}); stopping the cluster`);
    stop(1);
  });
  children.push(child);
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on ${port} after 30 s`);
}

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stop(1);
});
