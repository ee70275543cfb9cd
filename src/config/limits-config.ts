// Part of parseConfig (src/config.ts): what a client may send, and how much of it (docs/clients/cost-and-limits.md).
import type { FallbackMode } from "../limits/fallback-budget";
import type { BucketPolicies } from "../limits/rate-limiter";
import type { EnvReaders } from "./env-readers";

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

/** Rate limiting while the shared store is down (docs/operators/runbook.md). */
export interface RateLimitFallback {
  readonly mode: FallbackMode;
  readonly localShare: number;
}

export function queryLimits({ int }: EnvReaders): QueryLimits {
  return {
    maxDepth: int("MAX_QUERY_DEPTH", 7, 1, 50),
    maxCost: int("MAX_QUERY_COST", 2_000, 1, 1_000_000),
    maxAliases: int("MAX_ALIASES", 15, 0, 1_000),
    maxDirectives: int("MAX_DIRECTIVES", 10, 0, 1_000),
    maxTokens: int("MAX_QUERY_TOKENS", 1_000, 10, 100_000),
    maxQueryBytes: int("MAX_QUERY_BYTES", 10_000, 100, 1_000_000),
    maxBodyBytes: int("MAX_BODY_BYTES", 65_536, 1_024, 10_000_000),
  };
}

/** A token bucket of cost points per kind of caller: `RATE_LIMIT_<KIND>_BUCKET_SIZE` and `_RESTORE_RATE`. */
export function rateLimits({ int }: EnvReaders): BucketPolicies {
  const bucket = (kind: string, size: number, restorePerSecond: number) => ({
    size: int(`RATE_LIMIT_${kind}_BUCKET_SIZE`, size, 1, 100_000_000),
    restorePerSecond: int(`RATE_LIMIT_${kind}_RESTORE_RATE`, restorePerSecond, 1, 10_000_000),
  });
  return {
    anonymous: bucket("ANONYMOUS", 800, 20),
    customer: bucket("CUSTOMER", 1_000, 50),
    admin: bucket("ADMIN", 5_000, 250),
  };
}

export function rateLimitFallback({ oneOf, ratio }: EnvReaders): RateLimitFallback {
  return {
    mode: oneOf<FallbackMode>("RATE_LIMIT_FALLBACK", ["local", "open", "closed"], "local"),
    localShare: ratio("RATE_LIMIT_LOCAL_SHARE", 1),
  };
}
