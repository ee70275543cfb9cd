import type { BucketPolicies, Caller, RateLimiter, Throttle } from "./rate-limiter";

/**
 * What rate limiting does while the shared store is down (RATE_LIMIT_FALLBACK): `local` enforces
 * per-replica buckets in memory (each `RATE_LIMIT_LOCAL_SHARE` of the shared one), `open` lets
 * every request through, `closed` refuses every request (429, retry in a second).
 */
export type FallbackMode = "local" | "open" | "closed";

/** The policies a replica enforces alone: `share` of each bucket's size and restore rate. */
export function scaledPolicies(policies: BucketPolicies, share: number): BucketPolicies {
  const scale = (p: BucketPolicies[keyof BucketPolicies]) => ({
    size: Math.max(1, Math.floor(p.size * share)),
    restorePerSecond: Math.max(1, Math.floor(p.restorePerSecond * share)),
  });
  return { anonymous: scale(policies.anonymous), customer: scale(policies.customer), admin: scale(policies.admin) };
}

/**
 * The shared limiter (Redis buckets, one for all replicas) with a fallback for when the store is
 * down. The store's state is a flag check, so a down store costs no call; a call that fails
 * anyway (StoreLink bounded it) falls back too. The caller never sees the store's error.
 */
export class FallbackRateLimiter implements RateLimiter {
  constructor(
    private readonly shared: RateLimiter,
    private readonly local: RateLimiter,
    private readonly mode: FallbackMode,
    private readonly storeUp: () => boolean,
    /** Told of every decision taken without the store (counted in /metrics). */
    private readonly onFallback: (mode: FallbackMode) => void = () => undefined,
  ) {}

  get policies(): BucketPolicies {
    return this.shared.policies;
  }

  spend(caller: Caller, points: number): Promise<Throttle> {
    return this.decide(caller, points, (limiter) => limiter.spend(caller, points));
  }

  refund(caller: Caller, points: number): Promise<Throttle> {
    return this.decide(caller, 0, (limiter) => limiter.refund(caller, points));
  }

  private async decide(
    caller: Caller,
    points: number,
    run: (limiter: RateLimiter) => Promise<Throttle>,
  ): Promise<Throttle> {
    if (this.storeUp()) {
      try {
        return await run(this.shared);
      } catch {
        // the store failed this call (StoreLink counted it): decide without it
      }
    }
    this.onFallback(this.mode);
    if (this.mode === "local") return run(this.local);
    const { size, restorePerSecond } = this.local.policies[caller.kind];
    return this.mode === "open" || points === 0
      ? {
          allowed: true,
          maximumAvailable: size,
          currentlyAvailable: size,
          restoreRate: restorePerSecond,
          retryAfterMs: 0,
          fullInMs: 0,
        }
      : {
          allowed: false,
          maximumAvailable: size,
          currentlyAvailable: 0,
          restoreRate: restorePerSecond,
          retryAfterMs: 1_000,
          fullInMs: 1_000,
        };
  }
}
