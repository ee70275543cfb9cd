import { CatalogAdminDocument, CheckoutDocument } from "../../operations/generated/graphql";
import { postDocument } from "../support/typed-post";
import { describeWithRedis, postGraphQL, startStack, type Stack } from "../support/stack";
import { sha256 } from "../support/persisted";
import { adminToken, token } from "../support/tokens";
import { NO_CALLS } from "../support/services";

describeWithRedis("replicas sharing one Redis", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ redis: true });
  });
  afterAll(() => stack.close());

  test("what one replica fetched, the other serves without an upstream call", async () => {
    const replica = await stack.replica();
    const auth = { token: await adminToken() };
    const first = await stack.post(CatalogAdminDocument, { first: 20 }, auth);
    expect(first.body.errors).toBeUndefined();
    expect(stack.upstreams.callCounts().catalog).toBeGreaterThan(0);
    stack.upstreams.reset();

    const second = await postDocument(replica.url, CatalogAdminDocument, { first: 20 }, auth);
    expect(second.body.data).toEqual(first.body.data);
    expect(stack.upstreams.callCounts()).toEqual(NO_CALLS);
  });

  test("the store really is Redis", async () => {
    expect(stack.server.store.redis).not.toBeNull();
    const keys = await stack.server.store.redis?.keys(`${stack.config.storeNamespace}*catalog:product*`);
    expect(keys?.length).toBeGreaterThan(0);
  });

  test("an automatic persisted query registered on one replica is a hit on the other", async () => {
    const replica = await stack.replica();
    const query = "query ApqShared { categories { id } }";
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const send = async (url: string, body: object) =>
      (
        await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).json() as Promise<{ data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }>;
    expect((await send(replica.url, { extensions })).errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await send(stack.url, { query, extensions })).data).toEqual({ categories: expect.any(Array) });
    expect((await send(replica.url, { extensions })).data).toEqual({ categories: expect.any(Array) });
  });

  test("checkout with one key, sent to two replicas at once, makes one order and one charge", async () => {
    const replica = await stack.replica();
    const auth = { token: await token("u-0150") };
    const input = {
      items: [{ productId: "p-0600", quantity: 1 }],
      idempotencyKey: "two-replicas",
      paymentMethod: "pm_card_visa",
    };
    const urls = [stack.url, replica.url, stack.url, replica.url];
    const results = await Promise.all(urls.map((url) => postDocument(url, CheckoutDocument, { input }, auth)));
    expect(new Set(results.map((r) => r.body.data?.checkout.order?.id)).size).toBe(1);
    const payments = stack.upstreams.data.payments.filter((p) => p.reference === "u-0150:two-replicas");
    expect(payments.map((p) => p.status)).toEqual(["succeeded"]);
    expect(stack.upstreams.data.orders.filter((o) => o.paymentId === payments[0]?.id)).toHaveLength(1);
  });
});

describeWithRedis("rate limits shared by replicas through Redis", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      redis: true,
      env: { RATE_LIMIT_CUSTOMER_BUCKET_SIZE: "100", RATE_LIMIT_CUSTOMER_RESTORE_RATE: "10" },
    });
  });
  afterAll(() => stack.close());

  test("two replicas spend, restore and refund one bucket per caller", async () => {
    const replica = await stack.replica(); // same Redis, same clock
    const auth = { token: await token("u-0160") };
    const page = (url: string, n: number, q?: string) =>
      postGraphQL<Record<string, unknown>>(
        url,
        "query($n: Int!, $q: String) { products(first: $n, search: $q) { nodes { id } } }",
        { n, q },
        auth,
      ); // 2 + n points
    expect((await page(stack.url, 40)).headers.get("ratelimit")).toBe('"customer";r=58;t=5');
    expect((await page(replica.url, 40)).headers.get("ratelimit")).toBe('"customer";r=16;t=9');
    const limited = await page(stack.url, 40);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3"); // 26 missing at 10/s
    stack.clock.advance(2_600);
    expect((await page(replica.url, 40)).headers.get("ratelimit")).toBe('"customer";r=0;t=10');
    stack.clock.advance(6_000);
    const refunded = await page(stack.url, 50, "nothing matches this"); // 52 taken of 60, 50 given back
    expect(refunded.headers.get("ratelimit")).toBe('"customer";r=58;t=5');
    expect((await page(replica.url, 1)).headers.get("ratelimit")).toBe('"customer";r=55;t=5'); // the other replica saw the refund
    expect(
      await stack.server.store.redis?.keys(`${stack.config.storeNamespace}:bucket:customer:user:u-0160`),
    ).toHaveLength(1);
  });
});
