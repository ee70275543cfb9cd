import type { CorsConfig } from "./http/cors";
import type { ResilienceSettings } from "./http/resilience";
import { parseTrustProxy, type TrustProxy } from "./http/client-ip";
import type { MemoryBudgets } from "./cache/memory-tier";
import type { BucketPolicies } from "./limits/rate-limiter";
import type { TracingConfig } from "./telemetry/tracing";
import type { ServiceName } from "./services";
import type { SecretSpec } from "./secrets/secret-source";
import { checkoutConfig, checkoutPrechecks, type CheckoutConfig } from "./config/checkout-config";
import { corsConfig } from "./config/cors-config";
import {
  parseCredentials,
  secretReaders,
  secretsConfig,
  type SecretsConfig,
  type UpstreamCredentialsConfig,
} from "./config/credentials-config";
import { envReaders, type Env } from "./config/env-readers";
import { jwtConfig, type JwtConfig } from "./config/jwt-config";
import {
  queryLimits,
  rateLimitFallback,
  rateLimits,
  type QueryLimits,
  type RateLimitFallback,
} from "./config/limits-config";
import { memoryBudgets } from "./config/memory-config";
import { reportRetiredVariables } from "./config/retired-variables";
import { parseAuthConfig, type SessionConfig } from "./config/session-config";
import { tracingConfig } from "./config/tracing-config";
import { trustedDocumentsConfig, type TrustedDocumentsConfig } from "./config/trusted-documents-config";
import { upstreamResilience, upstreamTimeouts, upstreamUrls } from "./config/upstream-config";

/** Everything the BFF is configured with. Built once, by parseConfig, from the environment. */
export interface Config {
  readonly port: number;
  /** Interface to listen on. */
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  /** Base URL per upstream; null means "start the demo upstreams in-process" (all or none are set). */
  readonly upstreamUrls: Record<ServiceName, string> | null;
  /** Each upstream's API key as configured at start (a `_FILE` key's first content); `credentials` watches it. */
  readonly apiKeys: Record<ServiceName, string>;
  /** How the BFF proves who it is to each upstream: API key, mutual TLS, OAuth client credentials. */
  readonly credentials: Record<ServiceName, UpstreamCredentialsConfig>;
  /** Standard Webhooks secret of each upstream's notifications (null: none configured). */
  readonly webhookSecrets: Record<ServiceName, SecretSpec | null>;
  readonly secrets: SecretsConfig;
  /** Browser sessions (OAuth authorization code flow, sealed cookie). */
  readonly sessions: SessionConfig;
  readonly upstreamTimeoutMs: Record<ServiceName, number>;
  readonly resilience: Record<ServiceName, ResilienceSettings>;
  /** No upstream call of a client request outlives this; retries stop when it is spent. */
  readonly requestDeadlineMs: number;
  /** Undoing a failed checkout step gets its own deadline: it must finish even when the client's is spent. */
  readonly compensationDeadlineMs: number;
  /** How long past max-age a cached entry may still be served when its upstream fails. */
  readonly staleIfErrorMs: number;
  readonly limits: QueryLimits;
  /** A token bucket of cost points per caller, by kind of caller (docs/clients/cost-and-limits.md). */
  readonly rateLimits: BucketPolicies;
  /** Rate limiting while the shared store is down (docs/operators/runbook.md). */
  readonly rateLimitFallback: RateLimitFallback;
  /** Which peers' X-Forwarded-For is trusted for the client IP (docs/operators/configuration.md). */
  readonly trustProxy: TrustProxy;
  readonly trustedDocuments: TrustedDocumentsConfig;
  /** Parallel calls per request to services without a batch endpoint (accounts, payments). */
  readonly fanOutConcurrency: number;
  readonly jwt: JwtConfig;
  readonly redisUrl: string | null;
  /** Prefix of every key this deployment writes to the shared store. */
  readonly storeNamespace: string;
  /** Latency the in-process demo upstreams add (development only). */
  readonly demoLatencyMs: number;
  /** Bytes per in-process cache budget (docs/maintainers/architecture.md). */
  readonly memory: MemoryBudgets;
  /** Bound of one shared-store call; the longest pause between reconnection attempts (docs/operators/runbook.md). */
  readonly store: { readonly timeoutMs: number; readonly retryMs: number };
  /** Shutdown: how long /readyz says 503 while still accepting, then how long in-flight requests may take. */
  readonly drain: { readonly graceMs: number; readonly timeoutMs: number };
  readonly checkout: CheckoutConfig;
  /** Browser origins allowed to call the BFF (none in production unless configured). */
  readonly cors: CorsConfig;
  /** Responses at least this long are compressed (gzip or brotli) for clients that accept it; 0: never. */
  readonly compressMinBytes: number;
  /** The offline explorer (GraphiQL at /explorer) and Sandbox's example token: development only by default. */
  readonly explorer: boolean;
  /** OpenTelemetry export (OTEL_* variables); null: tracing off, nothing of OTel loaded. */
  readonly tracing: TracingConfig | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
}

/**
 * Reads the environment (the only place that does, with the sections under src/config/ it hands
 * it to) and reports every problem at once: first the checks that span variables, then every value
 * in the order of Config (tests pin the order of the problems).
 */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";
  const read = envReaders(env, problems);
  const { int, oneOf, bool, url, perService } = read;

  const urls = upstreamUrls(read, production);
  const { secret, readFile } = secretReaders(env, problems);
  const { credentials, apiKeys, webhookSecrets } = parseCredentials(env, production, {
    url,
    secret,
    readFile,
    perService,
    problems,
  });
  const jwt = jwtConfig(read, production);
  reportRetiredVariables(env, problems);
  if (env.NODE_ENV && !["production", "development", "test"].includes(env.NODE_ENV))
    problems.push(`NODE_ENV must be one of production, development, test, got "${env.NODE_ENV}"`);
  if (env.STORE_NAMESPACE !== undefined && !/^[\w.:-]{1,64}$/.test(env.STORE_NAMESPACE))
    problems.push(
      `STORE_NAMESPACE must be 1 to 64 letters, digits, "_", ".", ":" or "-", got "${env.STORE_NAMESPACE}"`,
    );
  const memory = memoryBudgets(read);
  const prechecked = checkoutPrechecks(read);

  const config: Config = {
    port: int("PORT", 4000, 0, 65_535),
    host: env.HOST || "0.0.0.0",
    production,
    logLevel: oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const, "info"),
    upstreamUrls: urls,
    apiKeys,
    credentials,
    webhookSecrets,
    secrets: secretsConfig(read),
    sessions: parseAuthConfig(env, production, { int, url, secret, problems }),
    upstreamTimeoutMs: upstreamTimeouts(read),
    resilience: upstreamResilience(read),
    requestDeadlineMs: int("REQUEST_DEADLINE_MS", 5_000, 1, 120_000),
    compensationDeadlineMs: int("COMPENSATION_DEADLINE_MS", 15_000, 1, 300_000),
    staleIfErrorMs: int("STALE_IF_ERROR_SECONDS", 600, 0, 86_400) * 1000,
    limits: queryLimits(read),
    rateLimits: rateLimits(read),
    rateLimitFallback: rateLimitFallback(read),
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    trustedDocuments: trustedDocumentsConfig(read, production),
    fanOutConcurrency: int("UPSTREAM_FANOUT_CONCURRENCY", 8, 1, 64),
    jwt,
    redisUrl: url("REDIS_URL"),
    storeNamespace: env.STORE_NAMESPACE || "bff",
    demoLatencyMs: int("DEMO_LATENCY_MS", 0, 0, 10_000),
    memory,
    store: { timeoutMs: int("STORE_TIMEOUT_MS", 50, 1, 10_000), retryMs: int("STORE_RETRY_MS", 250, 10, 60_000) },
    drain: {
      graceMs: int("DRAIN_GRACE_MS", 5_000, 0, 300_000),
      timeoutMs: int("DRAIN_TIMEOUT_MS", 20_000, 1, 600_000),
    },
    checkout: checkoutConfig(read, production, prechecked),
    cors: corsConfig(read, production),
    compressMinBytes: int("COMPRESSION_MIN_BYTES", 1_024, 0, 10_000_000),
    explorer: bool("EXPLORER", !production),
    tracing: tracingConfig(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
