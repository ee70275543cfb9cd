import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import ApolloServerPluginResponseCache from "@apollo/server-plugin-response-cache";
import { KeyvAdapter } from "@apollo/utils.keyvadapter";
import { expressMiddleware } from "@as-integrations/express5";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import express, { type Request, type Response } from "express";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ValidationContext } from "graphql";
import depthLimit from "graphql-depth-limit";
import type { Logger } from "pino";
import { createTokenVerifier } from "./auth/token-verifier";
import type { Viewer } from "./auth/viewer";
import { buildAppSchema } from "./build-schema";
import { HttpCache } from "./cache/http-cache";
import { CheckoutLedger } from "./checkout-ledger";
import type { Config } from "./config";
import { createContext, readHeaders, type Context, type ContextDeps } from "./context";
import { formatError } from "./errors/format-error";
import { bodyErrors, requestGuards } from "./http/request-guards";
import { PersistedDocuments, trustedDocuments } from "./http/trusted-documents";
import { createServiceClients, type ServiceClient, type ServiceEndpoint } from "./http/service-clients";
import { CostRateLimiter } from "./limits/rate-limit";
import { createLogger } from "./logger";
import { Metrics } from "./metrics";
import { useMetrics } from "./plugins/use-metrics";
import { useQueryLimits } from "./plugins/use-query-limits";
import { useRequestLog } from "./plugins/use-request-log";
import { useResponseExtensions } from "./plugins/use-response-extensions";
import { SANDBOX_DOCUMENT, SANDBOX_HEADERS } from "./sandbox";
import { SERVICE_NAMES, type ServiceName } from "./services";
import { openSharedStore, type SharedStore } from "./store";

/** graphql-armor's rules report a validation error (400) instead of throwing (500). */
const armorReporting = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, "")))],
};

/** What tests and main.ts may replace. */
export interface ServerOverrides {
  /** Base URL per upstream, when the config has none (the demo upstreams). */
  readonly upstreamUrls?: Record<ServiceName, string>;
  /** The clock of cache freshness (tests move it instead of sleeping). */
  readonly now?: () => number;
  readonly logger?: Logger;
}

export interface BffServer {
  readonly httpServer: Server;
  readonly store: SharedStore;
  /** The upstream clients: their policies (circuit state) and in-flight gauges. */
  readonly clients: Record<ServiceName, ServiceClient>;
  /** Listens and resolves to the base URL (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds the whole BFF (no side effects beyond opening the shared store); main.ts and tests listen. */
export async function createServer(config: Config, overrides: ServerOverrides = {}): Promise<BffServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const urls = overrides.upstreamUrls ?? config.upstreamUrls;
  if (!urls) throw new Error("no upstream URLs: configure them, or start the demo upstreams (main.ts does)");

  const manifest = PersistedDocuments.load(config.trustedDocuments.manifestPath);
  const metrics = new Metrics(manifest.operationNames());
  const store = await openSharedStore(config.redisUrl, config.storeNamespace, logger);
  const deps = createDeps(config, urls, store, metrics, overrides.now ?? Date.now, logger);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxyHops);
  const httpServer = createHttpServer(app);
  const apollo = createApollo(config, await buildAppSchema(), httpServer, store, metrics, logger);
  await apollo.start();

  metrics.watch(deps.clients);
  app.get("/healthz", (_req, res) => { res.json({ status: "ok" }); });
  app.get("/metrics", async (_req, res) => { res.type(metrics.registry.contentType).send(await metrics.registry.metrics()); });
  app.get("/readyz", async (_req, res) => {
    const redisOk = !store.redis || (await store.redis.ping().then(() => true, () => false));
    res.status(redisOk ? 200 : 503).json({ status: redisOk ? "ready" : "shared store unreachable" });
  });
  const { limits, trustedDocuments: trust } = config;
  app.use(["/", "/graphql"],
    ...requestGuards(limits.maxBodyBytes, limits.maxQueryBytes),
    trustedDocuments(manifest, trust.mode, trust.adminBypass, deps.verifier),
    expressMiddleware(apollo, { context: contextFunction(deps, logger) }));
  app.use(bodyErrors);

  return {
    httpServer,
    store,
    clients: deps.clients,
    listen: (port, host = "127.0.0.1") => new Promise((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(port, host, () => resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}`));
    }),
    close: async () => {
      await apollo.stop();
      await store.close();
    },
  };
}

/** The process-lifetime pieces every request's context is built from. */
function createDeps(config: Config, urls: Record<ServiceName, string>, store: SharedStore, metrics: Metrics, now: () => number, logger: Logger): ContextDeps {
  const endpoints = Object.fromEntries(SERVICE_NAMES.map((s) => [s, {
    baseUrl: urls[s], apiKey: config.apiKeys[s], timeoutMs: config.upstreamTimeoutMs[s], resilience: config.resilience[s],
  }])) as Record<ServiceName, ServiceEndpoint>;
  return {
    clients: createServiceClients(endpoints, (service, outcome, seconds) => {
      metrics.upstreamCalls.inc({ service, outcome });
      metrics.upstreamSeconds.observe({ service }, seconds);
    }),
    cache: new HttpCache(store.keyv, {
      now, logger, staleIfErrorMs: config.staleIfErrorMs,
      onLookup: (service, result, count) => metrics.cacheLookups.inc({ service, result }, count),
    }),
    requestDeadlineMs: config.requestDeadlineMs,
    compensationDeadlineMs: config.compensationDeadlineMs,
    fanOutConcurrency: config.fanOutConcurrency,
    verifier: createTokenVerifier(config.jwt),
    checkouts: new CheckoutLedger(store.keyv, store.redis, {
      keyPrefix: config.storeNamespace, lockTtlMs: 60_000, recordTtlMs: 24 * 3_600_000, waitMs: config.requestDeadlineMs,
    }),
    logger,
  };
}

/** Apollo Server with every limit and plugin; plugin order is the order hooks run in. */
function createApollo(config: Config, schema: GraphQLSchema, httpServer: Server, store: SharedStore, metrics: Metrics, logger: Logger): ApolloServer<Context> {
  const { limits } = config;
  const format = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => formatError(formatted, error, config.production);
  const sharedCache = new KeyvAdapter(store.keyv); // APQ and whole responses, shared by replicas with Redis
  return new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // main.ts owns shutdown: drain, close the store, stop the demo upstreams
    allowBatchedHttpRequests: false, // one operation per HTTP request
    persistedQueries: { cache: sharedCache, ttl: 24 * 3_600 },
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [
      depthLimit(limits.maxDepth),
      maxAliasesRule({ n: limits.maxAliases, ...armorReporting }),
      maxDirectivesRule({ n: limits.maxDirectives, ...armorReporting }),
    ],
    formatError: format,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, document: SANDBOX_DOCUMENT, headers: SANDBOX_HEADERS }),
      useQueryLimits(limits.maxCost, new CostRateLimiter(config.rateLimit, store.redis, config.storeNamespace), logger),
      // Whole public responses, for anonymous callers: private ones (sessionId null) and any with errors are
      // never stored; signed-in callers always get fresh reads (their own writes show at once).
      ApolloServerPluginResponseCache({
        cache: sharedCache,
        sessionId: async () => null,
        shouldReadFromCache: async ({ contextValue }) => contextValue.viewer === null,
        shouldWriteToCache: async ({ contextValue }) => contextValue.viewer === null,
      }),
      useResponseExtensions(format),
      useRequestLog(logger),
      useMetrics(metrics),
    ],
  });
}

/** Apollo's context function: the per-request context, from an allowlist of what the request carries. */
function contextFunction(deps: ContextDeps, logger: Logger) {
  return async ({ req, res }: { req: Request; res: Response }): Promise<Context> => {
    const clientGone = new AbortController(); // a client that hangs up cancels its upstream calls
    res.on("close", () => { if (!res.writableFinished) clientGone.abort(); });
    const verified = res.locals.viewer as Viewer | null | undefined; // set when trusted documents checked the token
    const headers = readHeaders(req.headers);
    try {
      return await createContext({ headers, clientIp: req.ip ?? "unknown", clientGone: clientGone.signal, verified }, deps);
    } catch (error) {
      // Refused before any plugin runs (an invalid token): still one log line for the request.
      logger.info({ requestId: headers.requestId ?? null, status: 401, clientIp: req.ip, reason: (error as Error).message }, "graphql request refused");
      throw error;
    }
  };
}
