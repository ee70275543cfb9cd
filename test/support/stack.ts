import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import { parseConfig, type Config } from "../../src/config";
import { createServer, type BffServer, type ServerOverrides } from "../../src/server";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { FakeClock } from "./clock";
import { postDocument, type PostOptions } from "./typed-post";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the wire, checked by each assertion
export type Json = Record<string, any>;

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Json }>;
    extensions?: Json;
  };
}

export interface Stack {
  readonly url: string;
  readonly upstreams: Upstreams;
  readonly server: BffServer;
  readonly clock: FakeClock;
  readonly config: Config;
  /** POSTs one operation over real HTTP. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  /** POSTs a generated typed document (operations/generated): `body.data` is its result type. */
  post<R, V>(document: TypedDocumentNode<R, V>, variables: V, options?: PostOptions): Promise<GraphQLResponse<R>>;
  /** Another BFF replica over the same upstreams (and the same Redis, when configured). */
  replica(): Promise<{ url: string; server: BffServer; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  /** Share Redis (REDIS_URL) with a fresh namespace, so suites never see each other's keys. */
  redis?: boolean;
  /** Payments sends its webhooks to this BFF (signed with its configured secret). */
  webhooks?: boolean;
  upstreams?: Upstreams;
  overrides?: Pick<ServerOverrides, "onContext" | "tracing">;
  /** An OpenID Connect issuer for browser sessions (the demo identity provider). */
  oidcIssuerUrl?: string;
  /** The fake clock to use (shared with other servers of the test). */
  clock?: FakeClock;
  /** Keep the default rate limits (otherwise lifted: the fake clock stands still, so buckets never restore). */
  defaultRateLimits?: boolean;
  /** The BFF's logger (silent unless given: see `capturedLogger`). */
  logger?: Logger;
}

/** A logger whose lines (parsed) land in `lines`, to assert levels and messages. */
export function capturedLogger(): { logger: Logger; lines: Json[] } {
  const lines: Json[] = [];
  const logger = pino(
    { level: "info" },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Json);
      },
    },
  );
  return { logger, lines };
}

/** Buckets no suite empties by accident; the suites about rate limits set their own, or keep the defaults. */
const LIFTED_RATE_LIMITS = {
  RATE_LIMIT_ANONYMOUS_BUCKET_SIZE: "1000000",
  RATE_LIMIT_CUSTOMER_BUCKET_SIZE: "1000000",
  RATE_LIMIT_ADMIN_BUCKET_SIZE: "1000000",
};
/** What the demo payments service signs its webhooks with in stacks started with `webhooks: true`. */
export const TEST_PAYMENTS_WEBHOOK_SECRET = `whsec_${Buffer.from("test-payments-webhook-secret").toString("base64")}`;

/** The demo upstreams and a BFF on ephemeral loopback ports, with a fake clock for cache freshness. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = options.clock ?? new FakeClock();
  // Each stack has a checkout journal of its own (replicas of one stack share it), removed at close.
  const dataDir = mkdtempSync(join(tmpdir(), "bff-test-"));
  const config = parseConfig({
    LOG_LEVEL: "silent",
    ...(options.defaultRateLimits ? {} : LIFTED_RATE_LIMITS),
    CHECKOUT_DB_PATH: join(dataDir, "checkout.sqlite"),
    CHECKOUT_RECOVERY_INTERVAL_MS: "0", // tests run recovery passes themselves
    ...(options.webhooks ? { PAYMENTS_WEBHOOK_SECRET: TEST_PAYMENTS_WEBHOOK_SECRET } : {}),
    // A generous store timeout: this machine is shared, and only the outage suites test the tight default.
    ...(options.redis
      ? { REDIS_URL: process.env.REDIS_URL, STORE_NAMESPACE: `test-${randomUUID()}`, STORE_TIMEOUT_MS: "1000" }
      : {}),
    ...options.env,
  });
  const upstreams = options.upstreams ?? (await startUpstreams({ apiKeys: config.apiKeys, now: clock.now }));
  const boot = async () => {
    const server = await createServer(config, {
      ...options.overrides,
      upstreamUrls: upstreams.urls,
      now: clock.now,
      logger: options.logger ?? pino({ level: "silent" }),
      oidcIssuerUrl: options.oidcIssuerUrl,
    });
    return { server, url: await server.listen(0) };
  };
  const { server, url } = await boot();
  if (options.webhooks)
    upstreams.webhooks.setTarget({ url: `${url}/webhooks/payments`, secret: TEST_PAYMENTS_WEBHOOK_SECRET });
  const replicas: Array<() => Promise<void>> = [];
  return {
    url,
    upstreams,
    server,
    clock,
    config,
    gql: (query, variables, opts) => postGraphQL(url, query, variables, opts),
    post: (document, variables, opts) => postDocument(url, document, variables, opts),
    replica: async () => {
      const other = await boot();
      const close = () => other.server.close();
      replicas.push(close);
      return { url: other.url, server: other.server, close };
    },
    close: async () => {
      await upstreams.webhooks.idle();
      if (options.webhooks) upstreams.webhooks.setTarget(null);
      await Promise.all(replicas.map((close) => close()));
      await server.close();
      if (!options.upstreams) await upstreams.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse<T>["body"] };
}

/** `describe` when Redis is available (always under CI), otherwise skipped with the reason in the name. */
export const describeWithRedis: jest.Describe = process.env.REDIS_URL
  ? describe
  : (Object.assign(
      (name: string, fn: jest.EmptyFunction) => describe.skip(`${name} [skipped: no Redis]`, fn),
      describe,
    ) as jest.Describe);

/** `describe` when PostgreSQL is available (always under CI), otherwise skipped with the reason in the name. */
export const describeWithPostgres: jest.Describe = process.env.DATABASE_URL
  ? describe
  : (Object.assign(
      (name: string, fn: jest.EmptyFunction) => describe.skip(`${name} [skipped: no PostgreSQL]`, fn),
      describe,
    ) as jest.Describe);

/** A real pino logger whose lines the test can read (the same as capturedLogger). */
export const recordingLogger = capturedLogger;
