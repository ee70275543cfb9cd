import { createServer as createHttpServer, type Server } from "node:http";
import type { Logger } from "pino";
import type * as SessionsModule from "./auth/sessions/create-sessions";
import type { BrowserSessions } from "./auth/sessions/create-sessions";
import type { Sessions } from "./auth/sessions/sessions";
import { startCheckout, type CheckoutRuntime } from "./checkout-runtime";
import type { Config } from "./config";
import type { Context, ContextDeps } from "./context";
import { createDeps } from "./create-deps";
import { startGraphQL } from "./start-graphql";
import { corsHandler } from "./http/cors";
import { router } from "./http/router";
import { PersistedDocuments } from "./http/trusted-documents";
import type { ServiceClient } from "./http/service-clients";
import { warmUpTransport } from "./http/undici-transport";
import type { ServiceCredentials } from "./http/credentials/service-credentials";
import { createUpstreamCredentials } from "./http/credentials/upstream-credentials";
import { openWebhookSecrets, type WebhookSecrets } from "./secrets/webhook-secrets";
import { HealthMetrics } from "./health-metrics";
import { Lifecycle, serverControls, type ServerControls } from "./lifecycle";
import { createLogger } from "./logger";
import { Metrics } from "./metrics";
import type { ServiceName } from "./services";
import { openSharedStore, type SharedStore } from "./store";
import { CacheInvalidator } from "./cache/invalidation";
import { loadTracing, type Tracing } from "./telemetry/tracing";
import { invalidationHandlers } from "./webhooks/invalidation-handlers";
import type { WebhookHandler } from "./webhooks/receiver";

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

/** The BFF, built; `listen`, `drain` and `close` (ServerControls) move its lifecycle through its phases. */
export interface BffServer extends ServerControls {
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

  const tracing = overrides.tracing ?? loadTracing(config.tracing);
  const sessions = browser?.sessions ?? null;
  const graphql = await startGraphQL(config, {
    store,
    metrics,
    health,
    now,
    logger,
    deps,
    manifest,
    sessions,
    onContext: overrides.onContext,
    tracing,
  });
  const { apollo, explainApollo } = graphql;
  metrics.watch(deps.clients);
  health.watch(deps.clients);
  metrics.watchMemory(store.memory);

  const httpServer = createHttpServer(
    router({
      lifecycle,
      metrics,
      auth: browser?.routes,
      webhooks: checkout.webhooks,
      explorer: graphql.explorer,
      graphql: graphql.handler,
      cors: corsHandler(config.cors),
      logger,
    }),
  );
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
    sessions,
    lifecycle,
    checkout,
    invalidator,
    tracing,
    ...serverControls(httpServer, lifecycle, config.drain, logger, release),
  };
}

function browserSessions(): typeof SessionsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy: sessions (openid-client) load only when configured
  return require("./auth/sessions/create-sessions") as typeof SessionsModule;
}
