import type { CallerKind, Throttle } from "../limits/rate-limiter";

/**
 * The caller's bucket as the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers-10):
 * `RateLimit-Policy: "customer";q=1000;w=20` (a bucket of q cost points, whole again w seconds
 * after it was emptied) and `RateLimit: "customer";r=969;t=1` (r points left, whole again in t
 * seconds). The quota unit is our cost points (docs/clients/cost-and-limits.md, "Rate limits"), which the draft's
 * registry does not name, so `qu` is left out.
 */
export function rateLimitFields(kind: CallerKind, throttle: Throttle): Array<[string, string]> {
  const window = Math.ceil(throttle.maximumAvailable / throttle.restoreRate);
  return [
    ["ratelimit-policy", `"${kind}";q=${throttle.maximumAvailable};w=${window}`],
    ["ratelimit", `"${kind}";r=${throttle.currentlyAvailable};t=${Math.ceil(throttle.fullInMs / 1000)}`],
  ];
}
