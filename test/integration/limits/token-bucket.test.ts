import { randomUUID } from "node:crypto";
import { createClient, type RedisClientType } from "@keyv/redis";
import type { BucketPolicies, Caller, RateLimiter } from "../../../src/limits/rate-limiter";
import { RedisBuckets } from "../../../src/limits/redis-buckets";
import { apply, MemoryBuckets } from "../../../src/limits/token-bucket";
import { FakeClock } from "../../support/clock";
import { describeWithRedis } from "../../support/stack";

const POLICIES: BucketPolicies = {
  anonymous: { size: 100, restorePerSecond: 10 },
  customer: { size: 1_000, restorePerSecond: 50 },
  admin: { size: 5_000, restorePerSecond: 250 },
};
const alice: Caller = { kind: "customer", key: "user:u-0001" };
const bob: Caller = { kind: "customer", key: "user:u-0002" };
const anonymous: Caller = { kind: "anonymous", key: "ip:10.0.0.1" };

/** The same assertions for every implementation: `replicas` are limiters sharing one store. */
function bucketArithmetic(
  make: (clock: FakeClock) => Promise<{ replicas: [RateLimiter, RateLimiter]; close(): Promise<void> }>,
) {
  let clock: FakeClock;
  let a: RateLimiter;
  let b: RateLimiter;
  let close: () => Promise<void>;
  beforeEach(async () => {
    clock = new FakeClock();
    ({
      replicas: [a, b],
      close,
    } = await make(clock));
  });
  afterEach(() => close());

  test("a new caller has a full bucket; a burst spends it down to what is left, then is refused with the wait", async () => {
    expect(await a.spend(alice, 400)).toEqual({
      allowed: true,
      maximumAvailable: 1_000,
      currentlyAvailable: 600,
      restoreRate: 50,
      retryAfterMs: 0,
      fullInMs: 8_000,
    });
    expect((await b.spend(alice, 500)).currentlyAvailable).toBe(100); // the other replica sees the same bucket
    const refused = await a.spend(alice, 300);
    expect(refused).toMatchObject({ allowed: false, currentlyAvailable: 100, retryAfterMs: 4_000 }); // 200 missing at 50/s
    expect((await b.spend(alice, 0)).currentlyAvailable).toBe(100); // a refused spend spent nothing
    expect((await a.spend(bob, 1_000)).currentlyAvailable).toBe(0); // bob's bucket is his own
  });

  test("points are restored at the rate, never beyond the size; a backwards clock restores nothing", async () => {
    await a.spend(alice, 1_000);
    clock.advance(1_000);
    expect((await b.spend(alice, 0)).currentlyAvailable).toBe(50);
    clock.advance(3_990);
    expect(await a.spend(alice, 250)).toMatchObject({ allowed: false, currentlyAvailable: 249, retryAfterMs: 10 });
    clock.advance(10);
    expect(await b.spend(alice, 250)).toMatchObject({ allowed: true, currentlyAvailable: 0 });
    clock.advance(60_000);
    expect((await a.spend(alice, 0)).currentlyAvailable).toBe(1_000);
    await a.spend(alice, 500);
    clock.advance(-5_000); // another replica's clock behind this one
    expect((await b.spend(alice, 0)).currentlyAvailable).toBe(500);
  });

  test("a refund puts unspent points back, capped at the size", async () => {
    await a.spend(alice, 900);
    expect((await b.refund(alice, 300)).currentlyAvailable).toBe(400);
    expect((await a.refund(alice, 5_000)).currentlyAvailable).toBe(1_000);
  });

  test("each kind of caller has its own policy", async () => {
    expect(await a.spend(anonymous, 101)).toMatchObject({ allowed: false, maximumAvailable: 100, restoreRate: 10 });
    expect((await a.spend({ kind: "admin", key: "user:u-0050" }, 101)).currentlyAvailable).toBe(4_899);
  });

  test("concurrent spends never take more than the bucket holds", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).spend(alice, 40)));
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    expect((await a.spend(alice, 0)).currentlyAvailable).toBe(0);
  });
}

describe("token bucket arithmetic", () => {
  test("restore, spend and refund", () => {
    const policy = { size: 10, restorePerSecond: 2 };
    const spent = apply(undefined, policy, 0, 7);
    expect(spent).toEqual({ state: { tokens: 3, at: 0 }, allowed: true });
    expect(apply(spent.state, policy, 1_500, 7)).toEqual({ state: { tokens: 6, at: 1_500 }, allowed: false });
    expect(apply(spent.state, policy, 2_000, 7)).toEqual({ state: { tokens: 0, at: 2_000 }, allowed: true });
    expect(apply(spent.state, policy, 0, -20)).toEqual({ state: { tokens: 10, at: 0 }, allowed: true });
  });
});

describe("in-process buckets (one replica)", () => {
  bucketArithmetic(async (clock) => {
    const buckets = new MemoryBuckets(POLICIES, clock.now);
    return { replicas: [buckets, buckets], close: async () => undefined };
  });
});

describeWithRedis("Redis buckets shared by two replicas", () => {
  const clients: RedisClientType[] = [];
  bucketArithmetic(async (clock) => {
    const prefix = `test-${randomUUID()}`;
    const connect = async () => {
      const client = createClient({ url: process.env.REDIS_URL }) as RedisClientType;
      await client.connect();
      clients.push(client);
      return new RedisBuckets(POLICIES, client, prefix, clock.now);
    };
    return {
      replicas: [await connect(), await connect()],
      close: async () => {
        await Promise.all(clients.splice(0).map((client) => client.close()));
      },
    };
  });
});
