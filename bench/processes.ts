// The bench's processes: the demo upstreams, the server under test (our BFF or the reference) and
// the load generator, each its own Node process, on ephemeral loopback ports only.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { SERVICE_NAMES, type ServiceName } from "../src/services";
import type { TracedCall } from "../upstreams/service-control";
import type { SeedSizes } from "../upstreams/seed";
import { entryPoints } from "./paths";

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

function track(child: ChildProcess, name: string): Child {
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

/** Environment shared by every server process: the production settings the bench runs them with. */
export interface BenchSecrets {
  readonly jwtSecret: string;
  readonly issuer: string;
  readonly audience: string;
  readonly apiKeys: Record<ServiceName, string>;
}

export const SECRETS: BenchSecrets = {
  jwtSecret: "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  issuer: "https://auth.bench.local/",
  audience: "storefront-bff-bench",
  apiKeys: Object.fromEntries(SERVICE_NAMES.map((s) => [s, `bench-${s}-key`])) as Record<ServiceName, string>,
};

const apiKeyEnv = (secrets: BenchSecrets) =>
  Object.fromEntries(SERVICE_NAMES.map((s) => [`${s.toUpperCase()}_API_KEY`, secrets.apiKeys[s]]));

/** What the bench asks the demo upstreams over their `/__calls` control route. */
export interface UpstreamsControl {
  /** Calls per service since the last reset. */
  counts(): Promise<Record<ServiceName, number>>;
  /** Calls of traced requests (X-Request-Id `trace-*`) since the last reset. */
  traced(): Promise<TracedCall[]>;
  reset(): Promise<void>;
}

export function upstreamsControl(urls: Record<ServiceName, string>): UpstreamsControl {
  const read = async () =>
    Promise.all(
      SERVICE_NAMES.map(async (s) => {
        const res = await send(`${urls[s]}/__calls`);
        return [s, JSON.parse(res.body) as { count: number; traced: TracedCall[] }] as const;
      }),
    );
  return {
    counts: async () => Object.fromEntries((await read()).map(([s, v]) => [s, v.count])) as Record<ServiceName, number>,
    traced: async () => (await read()).flatMap(([, v]) => v.traced),
    reset: async () => {
      await Promise.all(SERVICE_NAMES.map((s) => send(`${urls[s]}/__calls`, { method: "DELETE" })));
    },
  };
}

export interface UpstreamsProcess extends Child, UpstreamsControl {
  readonly urls: Record<ServiceName, string>;
}

/** `node dist/upstreams/main.js` on free ports; its URLs come back as one JSON line on stdout. */
export async function startUpstreams(
  latencyMs: number,
  sizes: SeedSizes,
  secrets = SECRETS,
): Promise<UpstreamsProcess> {
  const child = spawn(
    process.execPath,
    [
      entryPoints().upstreams,
      "--port-base",
      "0",
      "--json",
      "--latency",
      String(latencyMs),
      "--products",
      String(sizes.products),
      "--users",
      String(sizes.users),
    ],
    { env: apiKeyEnv(secrets), stdio: ["ignore", "pipe", "pipe"] },
  );
  const tracked = track(child, "the upstreams");
  const urls = await new Promise<Record<ServiceName, string>>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line && out.includes("\n")) resolve((JSON.parse(line) as { urls: Record<ServiceName, string> }).urls);
    });
    child.once("exit", (code) => reject(new Error(`bench: the upstreams exited (${code}): ${tracked.stderr()}`)));
  });
  child.stdout?.resume();
  return { ...tracked, ...upstreamsControl(urls), urls };
}

/** Our BFF (tracing off, as judged against the targets), our BFF exporting every span, the reference. */
export type ServerKind = "bff" | "bff-traced" | "reference";

export interface ServerProcess extends Child {
  readonly kind: ServerKind;
  /** Where GraphQL requests go. */
  readonly url: string;
}

export interface ServerOptions {
  readonly upstreams: Record<ServiceName, string>;
  readonly secrets?: BenchSecrets;
  /** Write a CPU profile (node --cpu-prof) into this directory when the process exits. */
  readonly profileDir?: string;
  /** `bff-traced`: the OTLP/HTTP base endpoint it exports every span to. */
  readonly otlpEndpoint?: string;
}

/**
 * Our BFF as in production (`dist/src/main.js`, NODE_ENV=production, its own logs at info to
 * /dev/null) or the reference (`dist/bench/reference/server.js`), with the same environment.
 * Rate limits are raised so they never refuse; trusted documents are `allow` (the bench sends
 * the contract's documents as text, to both servers alike).
 */
export async function startServer(kind: ServerKind, options: ServerOptions): Promise<ServerProcess> {
  const secrets = options.secrets ?? SECRETS;
  const port = await freePort();
  const unlimited = "100000000";
  const env: Record<string, string> = {
    NODE_ENV: "production",
    HOST,
    PORT: String(port),
    LOG_LEVEL: "info",
    JWT_SECRET: secrets.jwtSecret,
    JWT_ISSUER: secrets.issuer,
    JWT_AUDIENCE: secrets.audience,
    TRUSTED_DOCUMENTS: "allow",
    ...Object.fromEntries(
      ["ANONYMOUS", "CUSTOMER", "ADMIN"].flatMap((kind) => [
        [`RATE_LIMIT_${kind}_BUCKET_SIZE`, unlimited],
        [`RATE_LIMIT_${kind}_RESTORE_RATE`, "10000000"],
      ]),
    ),
    ...apiKeyEnv(secrets),
    ...Object.fromEntries(SERVICE_NAMES.map((s) => [`${s.toUpperCase()}_URL`, options.upstreams[s]])),
  };
  if (kind === "bff-traced") {
    if (!options.otlpEndpoint) throw new Error("bench: a traced BFF needs an OTLP endpoint");
    Object.assign(env, {
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
      OTEL_SERVICE_NAME: "storefront-bff-bench",
      OTEL_TRACES_SAMPLER: "always_on",
    });
  }
  const args: string[] = [];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    args.push("--cpu-prof", "--cpu-prof-dir", options.profileDir);
  }
  const ours = kind !== "reference";
  const entry = ours ? entryPoints().bff : entryPoints().reference;
  const devNull = openSync("/dev/null", "w");
  const child = spawn(process.execPath, [...args, entry], { env, stdio: ["ignore", devNull, "pipe"] });
  const tracked = track(child, kind);
  const url = `http://${HOST}:${port}${ours ? "/graphql" : "/"}`;
  await waitReady(url, child, tracked);
  return { ...tracked, kind, url };
}

/** How long a server may take to answer its first request (a busy shared machine can take many seconds). */
const READY_TIMEOUT_MS = 120_000;

async function waitReady(url: string, child: ChildProcess, tracked: Child): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bench: ${url} exited (${child.exitCode}): ${tracked.stderr()}`);
    try {
      await send(url, {
        method: "POST",
        body: JSON.stringify({ query: "{ __typename }" }),
        headers: { "content-type": "application/json" },
      });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await tracked.stop();
  throw new Error(`bench: ${url} did not answer within ${READY_TIMEOUT_MS / 1000} s: ${tracked.stderr()}`);
}

/** One keep-alive connection per target: what the one-connection latency probe uses. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface Sent {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** An HTTP request over the bench's single keep-alive connection; `ms` from send to the last byte. */
export function send(
  url: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          ms: performance.now() - start,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`bench: ${url} timed out`)));
    req.end(options.body);
  });
}

/** Closes the probe connection, so that the bench process can exit. */
export const closeConnections = (): void => agent.destroy();
