import { isOriginPattern, LOCALHOST_ORIGINS, type CorsConfig } from "./http/cors";
import type { ResilienceSettings } from "./http/resilience";
import { parseTrustProxy, type TrustProxy } from "./http/client-ip";
import type { TrustedDocumentsMode } from "./http/persisted-documents";
import type { MemoryBudgets } from "./cache/memory-tier";
import type { BucketPolicies } from "./limits/rate-limiter";
import type { FallbackMode } from "./limits/fallback-budget";
import type { TracingConfig } from "./telemetry/tracing";
import { SERVICE_NAMES, type ServiceName } from "./services";
import type { SecretSpec } from "./secrets/secret-source";
import { parseAuthConfig, type SessionConfig } from "./config-auth";
import { parseCredentials, secretReaders, type UpstreamCredentialsConfig } from "./config-credentials";

export type { UpstreamCredentialsConfig };

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
  readonly rateLimitFallback: { readonly mode: FallbackMode; readonly localShare: number };
  /** Which peers' X-Forwarded-For is trusted for the client IP (docs/operators/configuration.md). */
  readonly trustProxy: TrustProxy;
  readonly trustedDocuments: {
    /** The mode of callers that name no app listed in `clientModes`. */
    readonly mode: TrustedDocumentsMode;
    /** Mode per client app, by its `apollographql-client-name`. */
    readonly clientModes: Readonly<Record<string, TrustedDocumentsMode>>;
    /** Admin tokens may send arbitrary documents in `enforce` mode. */
    readonly adminBypass: boolean;
    /** GraphQL Code Generator's persisted documents (`{"<id>": "<text>"}`). */
    readonly manifestPath: string;
    /** Apollo persisted query manifests, by client app. */
    readonly apolloManifests: Readonly<Record<string, string>>;
  };
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

/** The checkout journal and its recovery (docs/maintainers/checkout.md). */
export interface CheckoutConfig {
  /** PostgreSQL shared by replicas; null: the embedded SQLite file at `dbPath`. */
  readonly databaseUrl: string | null;
  readonly dbPath: string;
  /** How long a process holds a checkout it drives without writing to its journal. */
  readonly leaseMs: number;
  /** Recovery takes over unfinished checkouts not written for this long. */
  readonly recoveryAfterMs: number;
  /** Pause between recovery passes (one runs at start); 0 runs only the one at start. */
  readonly recoveryIntervalMs: number;
  /** An unpaid checkout this old turns back (refund, release) instead of waiting for orders. */
  readonly abandonAfterMs: number;
  /** Checkouts one recovery claim takes at a time. */
  readonly recoveryBatch: number;
  /** Test only (never in production): the process kills itself with SIGKILL at this step boundary. */
  readonly crashAt: { readonly step: string; readonly phase: "before" | "after" } | null;
}

/** The step names CHECKOUT_CRASH_AT accepts: every upstream write of checkout/. */
export const CHECKOUT_WRITE_STEPS = [
  "reserve",
  "charge",
  "create_order",
  "mark_paid",
  "commit",
  "release",
  "refund",
  "cancel_order",
] as const;

/** Shape and size limits on what a client may send (docs/clients/cost-and-limits.md). */
export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxQueryBytes: number;
  readonly maxBodyBytes: number;
}

export interface JwtConfig {
  readonly secret: string | null;
  readonly jwksUrl: string | null;
  readonly issuer: string;
  readonly audience: string;
}

export interface SecretsConfig {
  /** How long a rotated-out secret is still accepted (webhook signatures, session cookies), in ms. */
  readonly rotationWindowMs: number;
  /** How often `_FILE` secrets are checked for changes, in ms. */
  readonly pollMs: number;
  /** A cached client-credentials token is replaced this long before it expires, in ms. */
  readonly tokenRefreshSkewMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
}

/** Development-only defaults; production refuses to start with them. */
export const DEV_JWT_SECRET = "storefront-dev-secret-do-not-use-in-production";
export const DEV_ISSUER = "https://auth.storefront.local/";
export const DEV_AUDIENCE = "storefront-bff";
/** Development webhook secret of a service (the demo upstreams sign with it). */
export const devWebhookSecret = (service: ServiceName): string =>
  `whsec_${Buffer.from(`storefront-dev-${service}-webhooks`).toString("base64")}`;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the environment (the only place that does) and reports every problem at once. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const ratio = (name: string, fallback: number, below = 1, inclusive = true): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!(value > 0 && (inclusive ? value <= below : value < below))) {
      problems.push(`${name} must be a number in (0, ${below}${inclusive ? "]" : ")"}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };
  const bool = (name: string, fallback: boolean): boolean =>
    oneOf(name, ["true", "false"] as const, fallback ? "true" : "false") === "true";
  const url = (name: string): string | null => {
    const raw = env[name];
    if (!raw) return null;
    try {
      return new URL(raw).toString().replace(/\/$/, "");
    } catch {
      problems.push(`${name} is not a URL: "${raw}"`);
      return null;
    }
  };
  /** `name=value,name=value`: names of client apps (letters, digits, `.`, `_`, `-`), each once. */
  const pairs = <T extends string>(
    name: string,
    fallback: string,
    value: (raw: string) => T | null,
    expected: string,
  ): Record<string, T> => {
    const raw = env[name] ?? fallback;
    const result: Record<string, T> = {};
    for (const item of raw
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = /^([A-Za-z0-9._-]+)=(.+)$/.exec(item);
      const parsed = match ? value(match[2]!.trim()) : null;
      if (!match || parsed === null || Object.hasOwn(result, match[1]!)) {
        problems.push(`${name} must be a comma-separated list of app=${expected} (each app once), got "${raw}"`);
        return {};
      }
      result[match[1]!] = parsed;
    }
    return result;
  };
  const MODES = ["off", "allow", "enforce"] as const;
  const perService = <T>(read: (service: ServiceName, prefix: string) => T): Record<ServiceName, T> =>
    Object.fromEntries(SERVICE_NAMES.map((s) => [s, read(s, s.toUpperCase())])) as Record<ServiceName, T>;

  const urls = perService((_, prefix) => url(`${prefix}_URL`));
  const configured = SERVICE_NAMES.filter((s) => urls[s] !== null);
  if (configured.length > 0 && configured.length < SERVICE_NAMES.length) {
    const missing = SERVICE_NAMES.filter((s) => urls[s] === null).map((s) => `${s.toUpperCase()}_URL`);
    const all = SERVICE_NAMES.length;
    problems.push(`set all ${all} upstream URLs or none; missing ${missing.join(", ")}`);
  }
  if (production && configured.length === 0) {
    const names = `${SERVICE_NAMES.map((s) => `${s.toUpperCase()}_URL`).join(", ")}`;
    const demo = "demo upstreams are for development";
    problems.push(`production needs the ${SERVICE_NAMES.length} upstream URLs (${names}): ${demo}`);
  }
  const { secret, readFile } = secretReaders(env, problems);
  const { credentials, apiKeys, webhookSecrets } = parseCredentials(env, production, {
    url,
    secret,
    readFile,
    perService,
    problems,
  });

  const jwtSecret = env.JWT_SECRET || null;
  const jwksUrl = url("JWT_JWKS_URL");
  if (jwtSecret && jwtSecret.length < 32) problems.push("JWT_SECRET must be at least 32 characters");
  if (production && !jwksUrl && !jwtSecret) problems.push("JWT_JWKS_URL (or JWT_SECRET) is required in production");
  if (production && (!env.JWT_ISSUER || !env.JWT_AUDIENCE))
    problems.push("JWT_ISSUER and JWT_AUDIENCE are required in production");

  const bucket = (kind: string, size: number, restorePerSecond: number) => ({
    size: int(`RATE_LIMIT_${kind}_BUCKET_SIZE`, size, 1, 100_000_000),
    restorePerSecond: int(`RATE_LIMIT_${kind}_RESTORE_RATE`, restorePerSecond, 1, 10_000_000),
  });
  for (const retired of [
    "RATE_LIMIT_WINDOW_SECONDS",
    "RATE_LIMIT_ANONYMOUS_POINTS",
    "RATE_LIMIT_CUSTOMER_POINTS",
    "RATE_LIMIT_ADMIN_POINTS",
  ]) {
    if (env[retired] !== undefined)
      problems.push(
        `${retired} is no longer read: rate limits are token buckets (RATE_LIMIT_<KIND>_BUCKET_SIZE and RATE_LIMIT_<KIND>_RESTORE_RATE)`,
      );
  }
  for (const service of SERVICE_NAMES) {
    const old = `${service.toUpperCase()}_BREAKER_WINDOW`;
    if (env[old] !== undefined)
      problems.push(
        `${old} is no longer read: the breaker counts calls over ${old}_MS once ${service.toUpperCase()}_BREAKER_MIN_CALLS were made`,
      );
  }
  if (env.NODE_ENV && !["production", "development", "test"].includes(env.NODE_ENV))
    problems.push(`NODE_ENV must be one of production, development, test, got "${env.NODE_ENV}"`);
  if (env.STORE_NAMESPACE !== undefined && !/^[\w.:-]{1,64}$/.test(env.STORE_NAMESPACE))
    problems.push(
      `STORE_NAMESPACE must be 1 to 64 letters, digits, "_", ".", ":" or "-", got "${env.STORE_NAMESPACE}"`,
    );

  const MIB = 2 ** 20;
  const memoryMb = int("CACHE_MEMORY_MB", 64, 4, 65_536);
  const responsesMb = int("CACHE_RESPONSES_MB", Math.round(memoryMb * 0.2), 0, 65_536);
  const documentsMb = int("CACHE_DOCUMENTS_MB", Math.max(1, Math.round(memoryMb / 16)), 0, 65_536);
  const absentMb = int("CACHE_ABSENT_MB", Math.max(1, Math.round(memoryMb / 16)), 0, 65_536);
  const entitiesMb = memoryMb - responsesMb - documentsMb - absentMb;
  if (entitiesMb < 1)
    problems.push(
      `CACHE_RESPONSES_MB + CACHE_DOCUMENTS_MB + CACHE_ABSENT_MB must leave at least 1 MiB of CACHE_MEMORY_MB (${memoryMb}) for upstream entities`,
    );
  const databaseUrl = url("DATABASE_URL");
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push(`DATABASE_URL must be a postgres:// or postgresql:// URL`);
  const crashRaw = env.CHECKOUT_CRASH_AT;
  const crashMatch = crashRaw ? /^([a-z_]+):(before|after)$/.exec(crashRaw) : null;
  if (crashRaw && (!crashMatch || !(CHECKOUT_WRITE_STEPS as readonly string[]).includes(crashMatch[1] as string))) {
    problems.push(
      `CHECKOUT_CRASH_AT must be <step>:<before|after> with a step of ${CHECKOUT_WRITE_STEPS.join(", ")}, got "${crashRaw}"`,
    );
  }

  const config: Config = {
    port: int("PORT", 4000, 0, 65_535),
    host: env.HOST || "0.0.0.0",
    production,
    logLevel: oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const, "info"),
    upstreamUrls: configured.length === SERVICE_NAMES.length ? (urls as Record<ServiceName, string>) : null,
    apiKeys,
    credentials,
    webhookSecrets,
    secrets: {
      rotationWindowMs: int("SECRET_ROTATION_WINDOW_SECONDS", 3_600, 0, 7 * 86_400) * 1000,
      pollMs: int("SECRET_FILE_POLL_MS", 1_000, 10, 600_000),
      tokenRefreshSkewMs: int("OAUTH_TOKEN_REFRESH_SKEW_SECONDS", 30, 0, 3_600) * 1000,
    },
    sessions: parseAuthConfig(env, production, { int, url, secret, problems }),
    upstreamTimeoutMs: perService((_, prefix) => int(`${prefix}_TIMEOUT_MS`, 2_000, 1, 60_000)),
    resilience: perService((_, prefix) => ({
      retries: int(`${prefix}_RETRIES`, 4, 0, 10),
      retryBudget: ratio(`${prefix}_RETRY_BUDGET`, 0.5, 10),
      retryReserve: int(`${prefix}_RETRY_RESERVE`, 100, 0, 100_000),
      retryDelayMs: int(`${prefix}_RETRY_DELAY_MS`, 25, 1, 10_000),
      retryMaxDelayMs: int(`${prefix}_RETRY_MAX_DELAY_MS`, 500, 1, 60_000),
      breakerThreshold: ratio(`${prefix}_BREAKER_THRESHOLD`, 0.5, 1, false),
      breakerWindowMs: int(`${prefix}_BREAKER_WINDOW_MS`, 10_000, 1_000, 600_000),
      breakerMinCalls: int(`${prefix}_BREAKER_MIN_CALLS`, 50, 1, 1_000_000),
      halfOpenAfterMs: int(`${prefix}_BREAKER_HALF_OPEN_MS`, 5_000, 1, 600_000),
      maxConcurrent: int(`${prefix}_MAX_CONCURRENT`, 64, 1, 10_000),
      maxQueued: int(`${prefix}_MAX_QUEUED`, 256, 0, 100_000),
    })),
    requestDeadlineMs: int("REQUEST_DEADLINE_MS", 5_000, 1, 120_000),
    compensationDeadlineMs: int("COMPENSATION_DEADLINE_MS", 15_000, 1, 300_000),
    staleIfErrorMs: int("STALE_IF_ERROR_SECONDS", 600, 0, 86_400) * 1000,
    limits: {
      maxDepth: int("MAX_QUERY_DEPTH", 7, 1, 50),
      maxCost: int("MAX_QUERY_COST", 2_000, 1, 1_000_000),
      maxAliases: int("MAX_ALIASES", 15, 0, 1_000),
      maxDirectives: int("MAX_DIRECTIVES", 10, 0, 1_000),
      maxTokens: int("MAX_QUERY_TOKENS", 1_000, 10, 100_000),
      maxQueryBytes: int("MAX_QUERY_BYTES", 10_000, 100, 1_000_000),
      maxBodyBytes: int("MAX_BODY_BYTES", 65_536, 1_024, 10_000_000),
    },
    rateLimits: {
      anonymous: bucket("ANONYMOUS", 800, 20),
      customer: bucket("CUSTOMER", 1_000, 50),
      admin: bucket("ADMIN", 5_000, 250),
    },
    rateLimitFallback: {
      mode: oneOf<FallbackMode>("RATE_LIMIT_FALLBACK", ["local", "open", "closed"], "local"),
      localShare: ratio("RATE_LIMIT_LOCAL_SHARE", 1),
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    trustedDocuments: {
      mode: oneOf("TRUSTED_DOCUMENTS", MODES, production ? "enforce" : "allow"),
      clientModes: pairs(
        "TRUSTED_DOCUMENTS_CLIENTS",
        "",
        (raw) => ((MODES as readonly string[]).includes(raw) ? (raw as TrustedDocumentsMode) : null),
        `${MODES.join("|")}`,
      ),
      adminBypass: oneOf("TRUSTED_DOCUMENTS_ADMIN_BYPASS", ["true", "false"] as const, "false") === "true",
      manifestPath: env.PERSISTED_DOCUMENTS_FILE || "operations/persisted-documents.json",
      apolloManifests: pairs(
        "PERSISTED_QUERY_MANIFESTS",
        "mobile=operations/manifests/mobile.json,web=operations/manifests/web.json",
        (raw) => raw,
        "path",
      ),
    },
    fanOutConcurrency: int("UPSTREAM_FANOUT_CONCURRENCY", 8, 1, 64),
    jwt: {
      secret: jwtSecret ?? (production || jwksUrl ? null : DEV_JWT_SECRET),
      jwksUrl,
      issuer: env.JWT_ISSUER || DEV_ISSUER,
      audience: env.JWT_AUDIENCE || DEV_AUDIENCE,
    },
    redisUrl: url("REDIS_URL"),
    storeNamespace: env.STORE_NAMESPACE || "bff",
    demoLatencyMs: int("DEMO_LATENCY_MS", 0, 0, 10_000),
    memory: {
      entities: entitiesMb * MIB,
      absent: absentMb * MIB,
      responses: responsesMb * MIB,
      documents: documentsMb * MIB,
    },
    store: { timeoutMs: int("STORE_TIMEOUT_MS", 50, 1, 10_000), retryMs: int("STORE_RETRY_MS", 250, 10, 60_000) },
    drain: {
      graceMs: int("DRAIN_GRACE_MS", 5_000, 0, 300_000),
      timeoutMs: int("DRAIN_TIMEOUT_MS", 20_000, 1, 600_000),
    },
    checkout: {
      databaseUrl,
      dbPath: env.CHECKOUT_DB_PATH || "data/checkout.sqlite",
      leaseMs: int("CHECKOUT_LEASE_MS", 30_000, 1, 3_600_000),
      recoveryAfterMs: int("CHECKOUT_RECOVERY_AFTER_MS", 60_000, 0, 86_400_000),
      recoveryIntervalMs: int("CHECKOUT_RECOVERY_INTERVAL_MS", 15_000, 0, 86_400_000),
      abandonAfterMs: int("CHECKOUT_ABANDON_AFTER_MS", 300_000, 1, 86_400_000),
      recoveryBatch: int("CHECKOUT_RECOVERY_BATCH", 20, 1, 1_000),
      // The production path ignores the crash hook whatever the environment says.
      crashAt:
        crashMatch && !production
          ? { step: crashMatch[1] as string, phase: crashMatch[2] as "before" | "after" }
          : null,
    },
    cors: corsConfig(env, production, problems, bool, int),
    compressMinBytes: int("COMPRESSION_MIN_BYTES", 1_024, 0, 10_000_000),
    explorer: bool("EXPLORER", !production),
    tracing: tracingConfig(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** `CORS_ORIGINS`: comma-separated exact origins or patterns, `*` (any origin, no credentials) or `none`. */
function corsConfig(
  env: Env,
  production: boolean,
  problems: string[],
  bool: (name: string, fallback: boolean) => boolean,
  int: (name: string, fallback: number, min: number, max: number) => number,
): CorsConfig {
  const raw = env.CORS_ORIGINS;
  const listed =
    raw === undefined || raw === ""
      ? production
        ? []
        : LOCALHOST_ORIGINS
      : raw === "none"
        ? []
        : raw
            .split(",")
            .map((o) => o.trim())
            .filter(Boolean);
  const bad = listed.filter((origin) => origin !== "*" && !isOriginPattern(origin));
  if (bad.length > 0)
    problems.push(
      `CORS_ORIGINS must list origins like https://app.example.com, https://*.example.com or http://localhost:*, "*" or "none"; not ${bad.map((o) => `"${o}"`).join(", ")}`,
    );
  const credentials = bool("CORS_CREDENTIALS", false);
  if (credentials && listed.includes("*"))
    problems.push("CORS_CREDENTIALS=true cannot be combined with CORS_ORIGINS=*: list the origins");
  return {
    origins: bad.length > 0 ? [] : listed,
    credentials,
    maxAgeSeconds: int("CORS_MAX_AGE_SECONDS", 600, 0, 86_400),
  };
}

const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

/**
 * Tracing is on when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
 * OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces) and OTEL_SDK_DISABLED is not true. Spans go out as
 * OTLP/HTTP with JSON bodies.
 */
function tracingConfig(env: Env, problems: string[]): TracingConfig | null {
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const baseEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none" || (!tracesEndpoint && !baseEndpoint))
    return null;
  const found = problems.length;
  if (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== "otlp")
    problems.push(`OTEL_TRACES_EXPORTER must be otlp or none, got "${env.OTEL_TRACES_EXPORTER}"`);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== "http/json")
    problems.push(
      `OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (the BFF exports OTLP over HTTP with JSON), got "${protocol}"`,
    );
  let endpoint = "";
  try {
    endpoint = tracesEndpoint
      ? new URL(tracesEndpoint).toString()
      : `${new URL(baseEndpoint as string).toString().replace(/\/$/, "")}/v1/traces`;
  } catch {
    problems.push(
      `${tracesEndpoint ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT"} is not a URL: "${tracesEndpoint ?? baseEndpoint}"`,
    );
  }
  const pairs = (name: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const part of (env[name] ?? "").split(",")) {
      if (part.trim() === "") continue;
      const eq = part.indexOf("=");
      if (eq <= 0) {
        problems.push(`${name} must be key=value pairs separated by commas`);
        continue;
      }
      out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
    }
    return out;
  };
  const sampler = env.OTEL_TRACES_SAMPLER || "parentbased_always_on";
  if (!(SAMPLERS as readonly string[]).includes(sampler))
    problems.push(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(", ")}, got "${sampler}"`);
  const ratioRaw = env.OTEL_TRACES_SAMPLER_ARG;
  const sampleRatio = ratioRaw ? Number(ratioRaw) : 1;
  if (!(sampleRatio >= 0 && sampleRatio <= 1))
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a number in 0..1, got "${ratioRaw}"`);
  const timeoutRaw = env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT || env.OTEL_EXPORTER_OTLP_TIMEOUT;
  const timeoutMs = timeoutRaw ? Number(timeoutRaw) : 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    problems.push(`OTEL_EXPORTER_OTLP_TIMEOUT must be a positive integer (milliseconds), got "${timeoutRaw}"`);
  const config: TracingConfig = {
    endpoint,
    headers: { ...pairs("OTEL_EXPORTER_OTLP_HEADERS"), ...pairs("OTEL_EXPORTER_OTLP_TRACES_HEADERS") },
    serviceName: env.OTEL_SERVICE_NAME || "storefront-bff",
    resourceAttributes: pairs("OTEL_RESOURCE_ATTRIBUTES"),
    sampler,
    sampleRatio,
    timeoutMs,
  };
  return problems.length === found ? config : null;
}
