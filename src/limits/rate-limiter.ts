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
