import type { Logger } from "pino";
import { createTokenVerifier } from "./auth/token-verifier";
import { HttpCache } from "./cache/http-cache";
import type { Config } from "./config";
import type { ContextDeps } from "./context";
import type { HealthMetrics } from "./health-metrics";
import type { ServiceCredentials } from "./http/credentials/service-credentials";
import { createServiceClients, type ServiceEndpoint } from "./http/service-clients";
import type { Metrics } from "./metrics";
import { SERVICE_NAMES, type ServiceName } from "./services";
import type { SharedStore } from "./store";

/** The process-lifetime pieces every request's context is built from. */
export function createDeps(
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
        onLookup: (service, result, count) => metrics.countLookups(service, result, count),
      },
    ),
    requestDeadlineMs: config.requestDeadlineMs,
    compensationDeadlineMs: config.compensationDeadlineMs,
    fanOutConcurrency: config.fanOutConcurrency,
    verifier: createTokenVerifier(config.jwt),
    logger,
  };
}

/** The store's state as a flag check (always up in memory-only mode). */
function sharedUp(store: SharedStore): () => boolean {
  const { link } = store;
  return link ? () => link.available : () => true;
}
