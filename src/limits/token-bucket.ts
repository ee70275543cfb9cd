import { createHash } from "node:crypto";
import type { RedisClientType } from "@keyv/redis";
import { LRUCache } from "lru-cache";

/** The kinds of caller, each with a bucket policy of its own. */
export type CallerKind = "anonymous" | "customer" | "admin";

/** Whose bucket a request spends from: a user, or an anonymous client IP. */
export interface Caller {
  readonly kind: CallerKind;
  /** `user:<id>` or `ip:<address>`: one bucket per key. */
  readonly key: string;
}

/** A bucket of `size` cost points, restored at `restorePerSecond` (Shopify: 1,000 at 50/s). */
export interface BucketPolicy {
  readonly size: number;
  readonly restorePerSecond: number;
}

export type BucketPolicies = Readonly<Record<CallerKind, BucketPolicy>>;

/** The state of one caller's bucket after a spend or refund (Shopify's throttleStatus, and more). */
export interface Throttle {
  readonly allowed: boolean;
  readonly maximumAvailable: number;
  /** Whole points left (the bucket keeps fractions between restores). */
  readonly currentlyAvailable: number;
  /** Points restored per second. */
  readonly restoreRate: number;
  /** Until a refused spend would fit; 0 when allowed. */
  readonly retryAfterMs: number;
  /** Until the bucket is full again. */
  readonly fullInMs: number;
}

/**
 * What the rest of the BFF knows of the limiter; keep it stable (a fallback to per-replica
 * buckets when Redis is down wraps it). `spend` takes `points` when they fit, and otherwise
 * nothing (spending 0 reads the bucket); `refund` puts points back, never beyond the size.
 * Both reject when the store fails; the caller decides what that means.
 */
export interface RateLimiter {
  readonly policies: BucketPolicies;
  spend(caller: Caller, points: number): Promise<Throttle>;
  refund(caller: Caller, points: number): Promise<Throttle>;
}

export function callerOf(
  viewer: { readonly id: string; readonly role: "customer" | "admin" } | null,
  clientIp: string,
): Caller {
  return viewer ? { kind: viewer.role, key: `user:${viewer.id}` } : { kind: "anonymous", key: `ip:${clientIp}` };
}

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

function throttleOf(tokens: number, allowed: boolean, points: number, policy: BucketPolicy): Throttle {
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

/** `apply` in Lua, atomic in Redis. Fractions are kept as strings (Redis replies truncate numbers). */
const SCRIPT = `
local size = tonumber(ARGV[1])
local ratePerMs = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local points = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or size
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(size, tokens + (now - at) * ratePerMs)
  at = now
end
local allowed = 1
if points >= 0 then
  if tokens >= points then tokens = tokens - points else allowed = 0 end
else
  tokens = math.min(size, tokens - points)
end
local ttl = math.ceil((size - tokens) / ratePerMs)
if ttl > 0 then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
  redis.call('PEXPIRE', KEYS[1], ttl + 1000)
else
  redis.call('DEL', KEYS[1])
end
return {allowed, string.format('%.17g', tokens)}
`;
const SCRIPT_SHA = createHash("sha1").update(SCRIPT).digest("hex");

/**
 * Buckets in Redis, shared by every replica: each spend or refund is one script run (atomic).
 * The time is the replica's clock (injected, so tests move it); a replica whose clock lags
 * restores nothing until it catches up, so skew never grants extra points.
 */
export class RedisBuckets implements RateLimiter {
  constructor(
    readonly policies: BucketPolicies,
    private readonly redis: RedisClientType,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  spend(caller: Caller, points: number): Promise<Throttle> {
    return this.run(caller, Math.max(0, points));
  }

  refund(caller: Caller, points: number): Promise<Throttle> {
    return this.run(caller, -Math.max(0, points));
  }

  private async run(caller: Caller, points: number): Promise<Throttle> {
    const policy = this.policies[caller.kind];
    const options = {
      keys: [`${this.prefix}:bucket:${caller.kind}:${caller.key}`],
      arguments: [String(policy.size), String(policy.restorePerSecond / 1000), String(this.now()), String(points)],
    };
    let reply: unknown;
    try {
      reply = await this.redis.evalSha(SCRIPT_SHA, options);
    } catch (error) {
      if (!String((error as Error).message).includes("NOSCRIPT")) throw error;
      reply = await this.redis.eval(SCRIPT, options);
    }
    const [allowed, tokens] = reply as [number, string];
    return throttleOf(Number(tokens), allowed === 1, points, policy);
  }
}

export function createRateLimiter(
  policies: BucketPolicies,
  redis: RedisClientType | null,
  prefix: string,
  now: () => number = Date.now,
): RateLimiter {
  return redis ? new RedisBuckets(policies, redis, prefix, now) : new MemoryBuckets(policies, now);
}
