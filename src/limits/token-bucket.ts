import { LRUCache } from "lru-cache";
import type { BucketPolicy, Caller, RateLimiter, Throttle, BucketPolicies } from "./rate-limiter";

/** One bucket's state: points held (fractional) at a time (ms). A missing bucket is full. */
export interface BucketState {
  tokens: number;
  at: number;
}

/**
 * The arithmetic, shared by the memory buckets and (line for line) the Redis script: restore
 * what the elapsed time earned, capped at the size; then spend `points` if they fit (points > 0
 * or 0), or refund `-points` (points < 0). A clock that went backwards restores nothing.
 */
export function apply(
  state: BucketState | undefined,
  policy: BucketPolicy,
  now: number,
  points: number,
): { state: BucketState; allowed: boolean } {
  const ratePerMs = policy.restorePerSecond / 1000;
  let tokens = state ? state.tokens : policy.size;
  let at = state ? state.at : now;
  if (now > at) {
    tokens = Math.min(policy.size, tokens + (now - at) * ratePerMs);
    at = now;
  }
  let allowed = true;
  if (points >= 0) {
    if (tokens >= points) tokens -= points;
    else allowed = false;
  } else {
    tokens = Math.min(policy.size, tokens - points);
  }
  return { state: { tokens, at }, allowed };
}

export function throttleOf(tokens: number, allowed: boolean, points: number, policy: BucketPolicy): Throttle {
  const ratePerMs = policy.restorePerSecond / 1000;
  return {
    allowed,
    maximumAvailable: policy.size,
    currentlyAvailable: Math.floor(tokens),
    restoreRate: policy.restorePerSecond,
    retryAfterMs: allowed ? 0 : Math.ceil((points - tokens) / ratePerMs),
    fullInMs: Math.ceil((policy.size - tokens) / ratePerMs),
  };
}
/** Buckets in this process (no Redis): the same arithmetic; idle full buckets are dropped. */
export class MemoryBuckets implements RateLimiter {
  private readonly buckets = new LRUCache<string, BucketState>({ max: 100_000 });

  constructor(
    readonly policies: BucketPolicies,
    private readonly now: () => number = Date.now,
  ) {}

  spend(caller: Caller, points: number): Promise<Throttle> {
    return Promise.resolve(this.run(caller, Math.max(0, points)));
  }

  refund(caller: Caller, points: number): Promise<Throttle> {
    return Promise.resolve(this.run(caller, -Math.max(0, points)));
  }

  private run(caller: Caller, points: number): Throttle {
    const policy = this.policies[caller.kind];
    const key = `${caller.kind}:${caller.key}`;
    const { state, allowed } = apply(this.buckets.get(key), policy, this.now(), points);
    // Kept until it would be full again (a full bucket is the same as none), plus a second.
    // Never `delete`d when full: lru-cache clears all its slots when its last entry is deleted,
    // which costs O(max) on every request of a lone caller.
    const ttl = Math.ceil((policy.size - state.tokens) / (policy.restorePerSecond / 1000));
    this.buckets.set(key, state, { ttl: Math.max(0, ttl) + 1_000 });
    return throttleOf(state.tokens, allowed, points, policy);
  }
}
