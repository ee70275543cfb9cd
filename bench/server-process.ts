// The server under test as a bench process: our BFF (tracing off or on) or the reference, run as in production.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { SERVICE_NAMES, type ServiceName } from "../src/services";
import { apiKeyEnv, SECRETS, type BenchSecrets } from "./bench-secrets";
import { entryPoints, productionNodeFlags } from "./paths";
import { send } from "./probe-connection";
import { freePort, HOST, track, type Child } from "./processes";

/**
 * Our BFF (tracing off, as judged against the targets), our BFF exporting every span, the reference,
 * the lean calibration server (bench/lean).
 */
export type ServerKind = "bff" | "bff-traced" | "reference" | "lean";

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
 * /dev/null), the reference (`dist/bench/reference/server.js`) or the lean server
 * (`dist/bench/lean/server.js`), all with the same environment.
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
  const ours = kind === "bff" || kind === "bff-traced";
  const args: string[] = ours ? productionNodeFlags() : [];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    args.push("--cpu-prof", "--cpu-prof-dir", options.profileDir);
  }
  const entry = ours ? entryPoints().bff : entryPoints()[kind];
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
