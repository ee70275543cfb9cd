import { startStack, type Stack, type Json } from "../support/stack";
import { token } from "../support/tokens";

const totalCalls = (stack: Stack) => Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0);

describe("cost-based rate limits: a token bucket per caller", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        RATE_LIMIT_CUSTOMER_BUCKET_SIZE: "100",
        RATE_LIMIT_CUSTOMER_RESTORE_RATE: "10",
        RATE_LIMIT_ANONYMOUS_BUCKET_SIZE: "70",
        RATE_LIMIT_ANONYMOUS_RESTORE_RATE: "5",
      },
    });
  });
  afterAll(() => stack.close());

  const page = "query($n: Int!, $q: String) { products(first: $n, search: $q) { nodes { id } } }"; // 2 + n, whatever the caller
  const mine = "query($n: Int!) { me { orders(first: $n) { nodes { id } } } }"; // private: 2 + 2 + n

  test("a burst spends the bucket; the next query gets 429 with Retry-After and the RateLimit fields; the bucket restores over time", async () => {
    const alice = { token: await token("u-0031") };
    for (let i = 1; i <= 3; i++) {
      const res = await stack.gql<Json>(page, { n: 30 }, alice); // 32 points each, and 30 products come back
      expect(res.status).toBe(200);
      expect(res.body.extensions?.cost).toEqual({ requestedQueryCost: 32, actualQueryCost: 32, maximumCost: 2_000 }); // public: no throttleStatus
      expect(res.headers.get("ratelimit-policy")).toBe('"customer";q=100;w=10');
      expect(res.headers.get("ratelimit")).toBe(`"customer";r=${100 - 32 * i};t=${Math.ceil((32 * i) / 10)}`);
    }
    stack.upstreams.reset();
    const limited = await stack.gql<Json>(page, { n: 30 }, alice); // 4 left, 28 missing at 10/s
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(limited.headers.get("ratelimit")).toBe('"customer";r=4;t=10');
    expect(limited.headers.get("ratelimit-policy")).toBe('"customer";q=100;w=10');
    expect(limited.body.errors?.[0]).toMatchObject({
      message: "Rate limit exceeded: retry in 3 s",
      extensions: {
        code: "RATE_LIMITED",
        retryAfterSeconds: 3,
        cost: 32,
        throttleStatus: { maximumAvailable: 100, currentlyAvailable: 4, restoreRate: 10 },
      },
    });
    expect(totalCalls(stack)).toBe(0);

    const bob = await stack.gql<Json>(page, { n: 30 }, { token: await token("u-0032") });
    expect(bob.headers.get("ratelimit")).toBe('"customer";r=68;t=4'); // another caller, another bucket

    stack.clock.advance(2_700);
    expect((await stack.gql<Json>(page, { n: 30 }, alice)).status).toBe(429); // 31 points: not yet
    stack.clock.advance(100);
    const restored = await stack.gql<Json>(page, { n: 30 }, alice);
    expect(restored.status).toBe(200);
    expect(restored.headers.get("ratelimit")).toBe('"customer";r=0;t=10');
  });

  test("what a query did not spend goes back into the bucket: lists are charged for what they returned", async () => {
    const carol = { token: await token("u-0033") };
    const none = await stack.gql<Json>(page, { n: 50, q: "no product is called this" }, carol);
    expect(none.body.data?.products.nodes).toEqual([]);
    expect(none.body.extensions?.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 2 });
    expect(none.headers.get("ratelimit")).toBe('"customer";r=98;t=1'); // 52 taken, 50 given back

    const orders = stack.upstreams.data.orders.filter((o) => o.userId === "u-0033").length;
    const own = await stack.gql<Json>(mine, { n: 50 }, carol);
    expect(own.body.data?.me.orders.nodes).toHaveLength(orders);
    expect(own.headers.get("cache-control")).not.toMatch(/public/);
    expect(own.body.extensions?.cost).toEqual({
      requestedQueryCost: 54,
      actualQueryCost: 4 + orders,
      maximumCost: 2_000,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 98 - 4 - orders, restoreRate: 10 }, // private: the caller's own bucket is in the body too
    });
    const left = 98 - 4 - orders - 3;
    expect((await stack.gql<Json>(page, { n: 1 }, carol)).headers.get("ratelimit")).toBe(
      `"customer";r=${left};t=${Math.ceil((100 - left) / 10)}`,
    );
  });

  test("a query larger than the caller's whole bucket is refused as too costly, not throttled", async () => {
    const res = await stack.gql<Json>(page, { n: 99 }, { token: await token("u-0034") });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", cost: 101, maximumCost: 100 });
  });

  test("anonymous callers have a bucket of their own policy, per client IP; refused documents still say what is left", async () => {
    const first = await stack.gql<Json>(page, { n: 30 });
    expect(first.headers.get("ratelimit-policy")).toBe('"anonymous";q=70;w=14');
    expect(first.headers.get("ratelimit")).toBe('"anonymous";r=38;t=7');
    await stack.gql<Json>(page, { n: 30 });
    const limited = await stack.gql<Json>(page, { n: 30 });
    expect(limited.status).toBe(429);
    const invalid = await stack.gql<Json>("{ nope }");
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("ratelimit")).toBe('"anonymous";r=6;t=13');
  });
});

describe("anonymous callers behind a trusted proxy", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUST_PROXY: "127.0.0.1/32", RATE_LIMIT_ANONYMOUS_BUCKET_SIZE: "50" } });
  });
  afterAll(() => stack.close());

  test("each client address in X-Forwarded-For has its own bucket", async () => {
    const from = (ip: string) =>
      stack.gql<Json>("{ products(first: 20) { nodes { id } } }", {}, { headers: { "x-forwarded-for": ip } }); // 22 points
    expect((await from("203.0.113.1")).headers.get("ratelimit")).toMatch(/^"anonymous";r=28;/);
    expect((await from("203.0.113.1")).headers.get("ratelimit")).toMatch(/^"anonymous";r=6;/);
    expect((await from("203.0.113.1")).status).toBe(429);
    expect((await from("198.51.100.7, 203.0.113.2")).headers.get("ratelimit")).toMatch(/^"anonymous";r=28;/);
  });
});
