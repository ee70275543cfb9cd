import type { Config } from "../config";
import type { HealthMetrics } from "../health-metrics";
import type { SharedStore } from "../store";
import { FallbackRateLimiter, scaledPolicies } from "./fallback-budget";
import type { RateLimiter } from "./rate-limiter";
import { RedisBuckets } from "./redis-buckets";
import { MemoryBuckets } from "./token-bucket";

/**
 * The process's one rate limiter, shared by both Apollo servers and the edge cache: with Redis,
 * one shared bucket per caller, and per-replica buckets while the store is down.
 */
export function createRequestLimiter(
  config: Config,
  store: SharedStore,
  now: () => number,
  health: HealthMetrics,
): RateLimiter {
  const { link } = store;
  return link
    ? new FallbackRateLimiter(
        new RedisBuckets(config.rateLimits, link.client, config.storeNamespace, now),
        new MemoryBuckets(scaledPolicies(config.rateLimits, config.rateLimitFallback.localShare), now),
        config.rateLimitFallback.mode,
        () => link.available,
        health.fallback.bind(health),
      )
    : new MemoryBuckets(config.rateLimits, now);
}
