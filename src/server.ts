import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import ApolloServerPluginResponseCache from "@apollo/server-plugin-response-cache";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ValidationContext } from "graphql";
import depthLimit from "graphql-depth-limit";
import type { Logger } from "pino";
import type * as SessionsModule from "./auth/sessions/create-sessions";
import type { BrowserSessions } from "./auth/sessions/create-sessions";
import type { Sessions } from "./auth/sessions/sessions";
import { createTokenVerifier } from "./auth/token-verifier";
import type { Viewer } from "./auth/viewer";
import { accessRules, buildAppSchema } from "./build-schema";
import { HttpCache } from "./cache/http-cache";
import { startCheckout, type CheckoutRuntime } from "./checkout-runtime";
import type { Config } from "./config";
import { createContext, endContext, readHeaders, requestIdOf, type Context, type ContextDeps } from "./context";
import { ErrorCode } from "./errors/bff-errors";
import { formatError } from "./errors/format-error";
import { clientIpResolver } from "./http/client-ip";
import { graphqlHandler, type Observation } from "./http/graphql-handler";
import { header, refuse } from "./http/http-io";
import { PersistedDocuments, TrustedDocuments, TrustPolicy } from "./http/trusted-documents";
import { createServiceClients, type ServiceClient, type ServiceEndpoint } from "./http/service-clients";
import { warmUpTransport } from "./http/undici-transport";
import type { ServiceCredentials } from "./http/credentials/service-credentials";
import { createUpstreamCredentials } from "./http/credentials/upstream-credentials";
import { openWebhookSecrets, type WebhookSecrets } from "./secrets/webhook-secrets";
import { HealthMetrics } from "./health-metrics";
import { drainHttpServer, Lifecycle } from "./lifecycle";
import { FallbackRateLimiter, scaledPolicies } from "./limits/fallback-budget";
import { guarded } from "./limits/fragment-guard";
import { RedisBuckets } from "./limits/redis-buckets";
import { MemoryBuckets } from "./limits/token-bucket";
import { createLogger } from "./logger";
import { Metrics } from "./metrics";
import { useCachePolicy } from "./plugins/use-cache-policy";
import { useMetrics } from "./plugins/use-metrics";
import { useQueryLimits } from "./plugins/use-query-limits";
import { useRequestLog } from "./plugins/use-request-log";
import { useResponseExtensions } from "./plugins/use-response-extensions";
import { EXAMPLE_DOCUMENT, EXAMPLE_VARIABLES, exampleHeaders } from "./sandbox";
import { EXPLORER_PATH, explorerHandler, type ExplorerExample } from "./explorer";
import { corsHandler } from "./http/cors";
import { SERVICE_NAMES, type ServiceName } from "./services";
import { openSharedStore, type SharedStore } from "./store";
import { CacheInvalidator } from "./cache/invalidation";
import { useExplain } from "./plugins/use-explain";
import { useTracing } from "./plugins/use-tracing";
import { loadTracing, type Tracing } from "./telemetry/tracing";
import { invalidationHandlers } from "./webhooks/invalidation-handlers";
import type { WebhookHandler } from "./webhooks/receiver";

/** graphql-armor's rules report a validation error (400) instead of throwing (500). */
const armorReporting = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ""))),
  ],
};

/** What tests and main.ts may replace. */
export interface ServerOverrides {
  /** Base URL per upstream, when the config has none (the demo upstreams). */
  readonly upstreamUrls?: Record<ServiceName, string>;
  /** The clock of cache freshness (tests move it instead of sleeping). */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Told of every request's context as it is made (tests check that none outlives its request). */
  readonly onContext?: (context: Context) => void;
  /** The OpenID Connect issuer, when the config has none (the demo identity provider). */
  readonly oidcIssuerUrl?: string;
  /** The tracer (tests pass one with an in-memory exporter); otherwise built from config.tracing. */
  readonly tracing?: Tracing;
  /** More webhook handlers by service (payments: checkout's). */
  readonly webhookHandlers?: Readonly<Record<string, WebhookHandler>>;
}

export interface BffServer {
  readonly httpServer: Server;
  readonly store: SharedStore;
  /** The upstream clients: their policies (circuit state) and in-flight gauges. */
  readonly clients: Record<ServiceName, ServiceClient>;
  /** How the BFF authenticates to each upstream (token request counts, rotating keys). */
  readonly credentials: Record<ServiceName, ServiceCredentials>;
  /** Standard Webhooks secrets per upstream, rotating: what the webhook receiver verifies against. */
  readonly webhookSecrets: WebhookSecrets;
  /** Browser sessions (null: no OpenID Connect provider configured). */
  readonly sessions: Sessions | null;
  /** Serving phase and readiness (/readyz). */
  readonly lifecycle: Lifecycle;
  /** The checkout journal, service and recovery. */
  readonly checkout: CheckoutRuntime;
  /** Drops what upstream changes made stale, on every replica. */
  readonly invalidator: CacheInvalidator;
  readonly tracing: Tracing | null;
  /** Listens and resolves to the base URL (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Shutdown without losing a request: /readyz says 503 at once and responses say
   * `Connection: close`; new connections are accepted for `graceMs` (DRAIN_GRACE_MS), then
   * refused; requests in flight get `timeoutMs` (DRAIN_TIMEOUT_MS); then everything is closed.
   */
  drain(graceMs?: number, timeoutMs?: number): Promise<void>;
  /** Closes at once (no grace period): tests. */
  close(): Promise<void>;
}

/** Builds the whole BFF (no side effects beyond opening the shared store); main.ts and tests listen. */
export async function createServer(config: Config, overrides: ServerOverrides = {}): Promise<BffServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const urls = overrides.upstreamUrls ?? config.upstreamUrls;
  if (!urls) throw new Error("no upstream URLs: configure them, or start the demo upstreams (main.ts does)");

  const manifest = PersistedDocuments.load({
    codegen: config.trustedDocuments.manifestPath,
    apollo: config.trustedDocuments.apolloManifests,
  });
  const metrics = new Metrics(manifest.operationNames());
  const lifecycle = new Lifecycle();
  const health = new HealthMetrics(metrics.registry, () => lifecycle.status());
  const store = await openSharedStore(
    {
      redisUrl: config.redisUrl,
      namespace: config.storeNamespace,
      budgets: config.memory,
      now: overrides.now,
      timeoutMs: config.store.timeoutMs,
      retryMs: config.store.retryMs,
      observer: health.storeObserver(),
    },
    logger,
  );
  lifecycle.storeState = () => store.link?.state ?? null;
  const now = overrides.now ?? Date.now;
  const secretError = (error: Error): void =>
    logger.error({ err: error.message }, "secret file unreadable: keeping the last value");
  const credentials = createUpstreamCredentials(config, now, secretError);
  const webhookSecrets = openWebhookSecrets(config, now, secretError);
  const issuerUrl = config.sessions.oidc.issuerUrl ?? overrides.oidcIssuerUrl;
  // openid-client and the session code are loaded only when browser sessions are configured.
  const browser: BrowserSessions | null = issuerUrl
    ? browserSessions().createBrowserSessions(config, issuerUrl, now, logger)
    : null;
  const base = createDeps(config, urls, store, metrics, health, now, logger, credentials);
  await warmUpTransport();
  const invalidator = new CacheInvalidator(store, config.storeNamespace, logger);
  await invalidator.start();
  // One webhook receiver (checkout's, its journal the inbox): payments' events move checkouts on, the others invalidate caches.
  const checkout = await startCheckout(config, base, (service) => webhookSecrets.secretsFor(service), logger, {
    ...invalidationHandlers(invalidator),
    ...overrides.webhookHandlers,
  });
  const deps: ContextDeps = { ...base, checkouts: checkout.service };

  // Development's runnable example (Sandbox and /explorer): ProductDetail, its variables, a demo customer's token.
  const example: ExplorerExample = {
    document: EXAMPLE_DOCUMENT,
    variables: EXAMPLE_VARIABLES,
    headers: config.production ? {} : await exampleHeaders(config.jwt),
  };
  const tracing = overrides.tracing ?? loadTracing(config.tracing);
  const apollo = createApollo(config, await buildAppSchema(), store, metrics, health, now, logger, example, {
    tracing: tracing !== null,
    explain: false,
  });
  await apollo.start();
  // Explained requests run on a schema of their own: its per-field hook never touches other requests.
  const explainApollo = createApollo(config, await buildAppSchema(), store, metrics, health, now, logger, example, {
    tracing: tracing !== null,
    explain: true,
  });
  await explainApollo.start();
  metrics.watch(deps.clients);
  health.watch(deps.clients);
  metrics.watchMemory(store.memory);

  const { limits } = config;
  const graphql = graphqlHandler({
    apollo,
    trusted: new TrustedDocuments(
      manifest,
      new TrustPolicy(config.trustedDocuments.mode, config.trustedDocuments.clientModes),
      config.trustedDocuments.adminBypass,
      logger,
    ),
    maxBodyBytes: limits.maxBodyBytes,
    maxQueryBytes: limits.maxQueryBytes,
    clientIp: clientIpResolver(config.trustProxy, logger),
    compressMinBytes: config.compressMinBytes,
    viewerFrom: (authorization) => deps.verifier.viewerFrom(authorization),
    context: contextFunction(deps, logger, browser?.sessions ?? null, overrides.onContext),
    logger,
    tracing,
    explain: { apollo: explainApollo, adminsOnly: config.production },
  });
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => unknown> = {
    "/healthz": lifecycle.healthz,
    "/metrics": async (_req, res) => {
      const text = await metrics.registry.metrics();
      res.setHeader("content-type", metrics.registry.contentType);
      res.end(text);
    },
    "/readyz": lifecycle.readyz,
    ...browser?.routes, // /auth/login, /auth/callback, /auth/logout, /auth/session
    // Standard Webhooks from the upstreams (src/webhooks/receiver.ts); payments' move checkouts on.
    ...Object.fromEntries(SERVICE_NAMES.map((service) => [`/webhooks/${service}`, checkout.webhooks])),
  };
  const explorer = config.explorer ? explorerHandler("/graphql", example) : null;
  const cors = corsHandler(config.cors); // answers preflights (OPTIONS) before anything else sees them
  const dispatch = (req: IncomingMessage, res: ServerResponse, requestId: string): void => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (explorer && (path === EXPLORER_PATH || path.startsWith(`${EXPLORER_PATH}/`))) return explorer(req, res, path);
    const route = routes[path];
    if (!route && path !== "/" && path !== "/graphql")
      return refuse(res, 404, ErrorCode.NotFound, `Nothing here: GraphQL is served at /graphql`, requestId);
    const done = route ? route(req, res) : graphql(req, res, requestId, q === -1 ? "" : url.slice(q));
    void Promise.resolve(done).catch((error: unknown) => {
      logger.error({ err: error, requestId }, "unexpected error while answering");
      if (!res.headersSent) refuse(res, 500, ErrorCode.Internal, "Unexpected error", requestId);
      else res.destroy();
    });
  };
  const httpServer = createHttpServer((req, res) => {
    const requestId = requestIdOf(header(req, "x-request-id"));
    res.setHeader("x-request-id", requestId);
    if (lifecycle.draining) res.setHeader("connection", "close"); // the client opens a new connection, to another replica
    cors(req, res, () => dispatch(req, res, requestId));
  });
  httpServer.keepAliveTimeout = 65_000; // longer than a load balancer's idle timeout: it, not we, closes idle connections
  const release = async (): Promise<void> => {
    await apollo.stop();
    await checkout.close();
    await explainApollo.stop();
    await invalidator.stop();
    await tracing?.shutdown();
    await store.close();
    Object.values(credentials).forEach((c) => c.close());
    await Promise.all(Object.values(base.clients).map((c) => c.transport.close()));
    webhookSecrets.close();
    browser?.close();
  };

  return {
    httpServer,
    store,
    clients: deps.clients,
    credentials,
    webhookSecrets,
    sessions: browser?.sessions ?? null,
    lifecycle,
    checkout,
    invalidator,
    tracing,
    listen: (port, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          lifecycle.phase = "serving";
          resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}`);
        });
      }),
    drain: async (graceMs = config.drain.graceMs, timeoutMs = config.drain.timeoutMs) => {
      lifecycle.phase = "draining";
      logger.info(
        { graceMs, timeoutMs },
        "draining: /readyz says 503; accepting for the grace period, then finishing requests in flight",
      );
      await drainHttpServer(httpServer, graceMs, timeoutMs);
      await release();
    },
    close: async () => {
      lifecycle.phase = "draining";
      await closeHttpServer(httpServer);
      await release();
    },
  };
}

/** The process-lifetime pieces every request's context is built from. */
function createDeps(
  config: Config,
  urls: Record<ServiceName, string>,
  store: SharedStore,
  metrics: Metrics,
  health: HealthMetrics,
  now: () => number,
  logger: Logger,
  credentials: Record<ServiceName, ServiceCredentials>,
): Omit<ContextDeps, "checkouts"> {
  const endpoints = Object.fromEntries(
    SERVICE_NAMES.map((s) => [
      s,
      {
        baseUrl: urls[s],
        apiKey: credentials[s].apiKey.current(),
        credentials: credentials[s],
        timeoutMs: config.upstreamTimeoutMs[s],
        resilience: config.resilience[s],
      },
    ]),
  ) as Record<ServiceName, ServiceEndpoint>;
  return {
    clients: createServiceClients(
      endpoints,
      (service, outcome, seconds) => {
        metrics.upstreamCalls.inc({ service, outcome });
        metrics.upstreamSeconds.observe({ service }, seconds);
      },
      health.breakerListener(logger),
    ),
    cache: new HttpCache(
      { entities: store.memory.entities, absent: store.memory.absent, shared: store.shared, sharedUp: sharedUp(store) },
      {
        now,
        logger,
        staleIfErrorMs: config.staleIfErrorMs,
        onLookup: (service, result, count) => metrics.cacheLookups.inc({ service, result }, count),
      },
    ),
    requestDeadlineMs: config.requestDeadlineMs,
    compensationDeadlineMs: config.compensationDeadlineMs,
    fanOutConcurrency: config.fanOutConcurrency,
    verifier: createTokenVerifier(config.jwt),
    logger,
  };
}

/** Apollo Server with every limit and plugin; plugin order is the order hooks run in. */
function createApollo(
  config: Config,
  schema: GraphQLSchema,
  store: SharedStore,
  metrics: Metrics,
  health: HealthMetrics,
  now: () => number,
  logger: Logger,
  example: ExplorerExample,
  variant: { tracing: boolean; explain: boolean },
): ApolloServer<Context> {
  const { link } = store;
  // With Redis: one shared bucket per caller, and per-replica buckets while the store is down.
  const limiter = link
    ? new FallbackRateLimiter(
        new RedisBuckets(config.rateLimits, link.client, config.storeNamespace, now),
        new MemoryBuckets(scaledPolicies(config.rateLimits, config.rateLimitFallback.localShare), now),
        config.rateLimitFallback.mode,
        () => link.available,
        health.fallback.bind(health),
      )
    : new MemoryBuckets(config.rateLimits, now);
  const { limits } = config;
  const format = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    formatError(formatted, error, config.production);

  return new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // main.ts owns shutdown: drain, close the store, stop the demo upstreams
    allowBatchedHttpRequests: false, // one operation per HTTP request
    persistedQueries: { cache: store.documents, ttl: 24 * 3_600 }, // shared by replicas with Redis
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    // Each rule that follows fragment spreads runs only on documents without fragment cycles or
    // unknown fragments (the spec's rules refuse those): none of them can recurse without bound.
    validationRules: [
      depthLimit(limits.maxDepth),
      maxAliasesRule({ n: limits.maxAliases, ...armorReporting }),
      maxDirectivesRule({ n: limits.maxDirectives, ...armorReporting }),
    ].map(guarded),
    formatError: format,
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({
            embed: true,
            includeCookies: false,
            document: example.document,
            variables: example.variables,
            headers: example.headers,
          }),
      useQueryLimits(limits.maxCost, limiter, logger),
      useResponseExtensions(format), // before the two below: the errors it adds make a response uncacheable
      ApolloServerPluginCacheControlDisabled(),
      useCachePolicy(new Set(accessRules().keys())),
      // Whole public responses, for anonymous callers: private ones (sessionId null) and any with errors are
      // never stored; signed-in callers always get fresh reads (their own writes show at once).
      // Explained requests neither read nor write them: they show the calls a request really makes.
      ...(variant.explain
        ? [useExplain()]
        : [
            ApolloServerPluginResponseCache<Context>({
              cache: store.responses,
              sessionId: async () => null,
              shouldReadFromCache: async ({ contextValue }) => contextValue.viewer === null,
              shouldWriteToCache: async ({ contextValue }) => contextValue.viewer === null,
            }),
          ]),
      useRequestLog(logger),
      useMetrics(metrics),
      ...(variant.tracing ? [useTracing()] : []),
    ],
  });
}

/** The per-request context, from an allowlist of what the request carries. */
function contextFunction(
  deps: ContextDeps,
  logger: Logger,
  sessions: Sessions | null,
  onContext?: (context: Context) => void,
) {
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    clientIp: string,
    clientGone: AbortSignal,
    requestId: string,
    verified: Viewer | null | undefined,
    observation: Observation,
  ): Promise<Context> => {
    const headers = { ...readHeaders(req.headers), requestId };
    try {
      // No Authorization header: the browser session cookie, if any (CSRF-checked; 401 when it does not open).
      if (verified === undefined && !headers.authorization && sessions?.hasCookie(req))
        verified = await sessions.viewerFrom(req, res);
      const context = await createContext(
        { headers, clientIp, clientGone, verified, trace: observation.trace, explain: observation.explain },
        deps,
      );
      res.once("close", () => endContext(context)); // written, or the client went away
      onContext?.(context);
      return context;
    } catch (error) {
      // Refused before any plugin runs (an invalid token): still one log line for the request.
      logger.info(
        {
          requestId,
          status: (error as { extensions?: { http?: { status?: number } } }).extensions?.http?.status ?? 401,
          clientIp,
          reason: (error as Error).message,
        },
        "graphql request refused",
      );
      throw error;
    }
  };
}

/** The store's state as a flag check (always up in memory-only mode). */
function sharedUp(store: SharedStore): () => boolean {
  const { link } = store;
  return link ? () => link.available : () => true;
}

/** Stops accepting connections, lets in-flight requests finish, and closes idle keep-alive sockets. */
function closeHttpServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

function browserSessions(): typeof SessionsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy: sessions (openid-client) load only when configured
  return require("./auth/sessions/create-sessions") as typeof SessionsModule;
}
