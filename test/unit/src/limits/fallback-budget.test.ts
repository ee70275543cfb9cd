import { FallbackRateLimiter, scaledPolicies } from "../../../../src/limits/fallback-budget";
import type { BucketPolicies, Caller, RateLimiter, Throttle } from "../../../../src/limits/rate-limiter";
import { MemoryBuckets } from "../../../../src/limits/token-bucket";

const policies: BucketPolicies = {
  anonymous: { size: 100, restorePerSecond: 10 },
  customer: { size: 1_000, restorePerSecond: 50 },
  admin: { size: 5_000, restorePerSecond: 250 },
};
const caller: Caller = { kind: "anonymous", key: "ip:127.0.0.1" };
const now = () => 1_000_000; // buckets restore nothing: every point spent stays spent

/** A shared limiter whose store fails every call, as a dead Redis would. */
const failing: RateLimiter = {
  policies,
  spend: () => Promise.reject(new Error("The client is offline")),
  refund: () => Promise.reject(new Error("offline")),
};

describe("FallbackRateLimiter", () => {
  test("store up: the shared buckets decide; down: the per-replica ones, without calling the shared ones", async () => {
    const shared = new MemoryBuckets(policies, now);
    const local = new MemoryBuckets(scaledPolicies(policies, 0.5), now);
    let up = true;
    const fallbacks: string[] = [];
    const limiter = new FallbackRateLimiter(
      shared,
      local,
      "local",
      () => up,
      (mode) => fallbacks.push(mode),
    );
    expect(await limiter.spend(caller, 10)).toMatchObject({
      allowed: true,
      maximumAvailable: 100,
      currentlyAvailable: 90,
    });
    up = false;
    expect(await limiter.spend(caller, 10)).toMatchObject({
      allowed: true,
      maximumAvailable: 50,
      currentlyAvailable: 40,
    });
    expect(await limiter.spend(caller, 41)).toMatchObject({ allowed: false, currentlyAvailable: 40 }); // the local budget binds
    await limiter.refund(caller, 10);
    expect((await local.spend(caller, 0)).currentlyAvailable).toBe(50);
    expect((await shared.spend(caller, 0)).currentlyAvailable).toBe(90); // untouched while down
    expect(fallbacks).toEqual(["local", "local", "local"]);
  });

  test("a shared call that fails falls back too, and the caller never sees the store's error", async () => {
    const limiter = new FallbackRateLimiter(failing, new MemoryBuckets(policies, now), "local", () => true);
    await expect(limiter.spend(caller, 5)).resolves.toMatchObject({ allowed: true, currentlyAvailable: 95 });
    await expect(limiter.refund(caller, 5)).resolves.toMatchObject({ currentlyAvailable: 100 });
  });

  test("open lets every request through; closed refuses every one, retry in a second", async () => {
    const open = new FallbackRateLimiter(failing, new MemoryBuckets(policies, now), "open", () => false);
    expect(await open.spend(caller, 5_000)).toMatchObject({ allowed: true, retryAfterMs: 0 });
    const closed = new FallbackRateLimiter(failing, new MemoryBuckets(policies, now), "closed", () => false);
    const refused: Throttle = await closed.spend(caller, 5);
    expect(refused).toMatchObject({ allowed: false, currentlyAvailable: 0, retryAfterMs: 1_000 });
  });

  test("scaledPolicies: a replica's share of each bucket, never below one point", () => {
    expect(scaledPolicies(policies, 0.25)).toEqual({
      anonymous: { size: 25, restorePerSecond: 2 },
      customer: { size: 250, restorePerSecond: 12 },
      admin: { size: 1_250, restorePerSecond: 62 },
    });
    expect(scaledPolicies(policies, 0.001).anonymous).toEqual({ size: 1, restorePerSecond: 1 });
  });
});
