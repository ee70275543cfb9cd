import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST } from "graphql";
import {
  AddReviewDocument,
  CatalogAdminDocument,
  CategoriesDocument,
  CheckoutDocument,
  CustomerDetailDocument,
  DashboardOverviewDocument,
  MyOrdersDocument,
  ProductDetailDocument,
  ProductListDocument,
} from "../../operations/generated/graphql";
import { startStack, type Stack, type Json } from "../support/stack";
import { adminToken, token } from "../support/tokens";

const code = (res: { body: Json }) => res.body.errors?.[0]?.extensions?.code;
const totalCalls = (stack: Stack) => Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0);

/** A contract operation with realistic variables, and its cost (a change here is a decision: see docs/clients/cost-and-limits.md). */
const priced = <R, V>(document: TypedDocumentNode<R, V>, variables: V, cost: number) => ({
  name: getOperationAST(document)?.name?.value,
  variables,
  cost,
  send: (stack: Stack, token: string) => stack.post(document, variables, { token }),
});
const CONTRACT = [
  priced(CategoriesDocument, {}, 2),
  priced(ProductListDocument, { first: 20 }, 142),
  priced(ProductDetailDocument, { id: "p-0001" }, 31),
  priced(MyOrdersDocument, { first: 10 }, 184),
  priced(AddReviewDocument, { productId: "p-0001", rating: 5, body: "Good" }, 14),
  priced(
    CheckoutDocument,
    {
      input: {
        items: [{ productId: "p-0001", quantity: 1 }],
        idempotencyKey: "limits-1",
        paymentMethod: "pm_card_visa",
      },
    },
    65,
  ),
  priced(CatalogAdminDocument, { first: 50 }, 902),
  priced(CustomerDetailDocument, { id: "u-0003" }, 104),
  priced(DashboardOverviewDocument, { first: 20 }, 786),
].map((op) => [op.name, op.variables, op.cost, op] as const);

describe("default limits", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ defaultRateLimits: true });
  });
  afterAll(() => stack.close());

  test.each(CONTRACT)("%s with %j costs %d and passes every default limit", async (_name, _variables, cost, op) => {
    const res = await op.send(stack, await adminToken());
    expect(res.body.errors).toBeUndefined();
    const shareable = /public/.test(res.headers.get("cache-control") ?? "");
    expect(res.body.extensions?.cost).toEqual({
      requestedQueryCost: cost,
      actualQueryCost: expect.any(Number),
      maximumCost: 2_000,
      // The caller's bucket is never in a body every caller may be served: the RateLimit fields carry it.
      ...(shareable
        ? {}
        : { throttleStatus: { maximumAvailable: 5_000, currentlyAvailable: expect.any(Number), restoreRate: 250 } }),
    });
    expect(res.body.extensions?.cost.actualQueryCost).toBeLessThanOrEqual(cost);
    expect(res.headers.get("ratelimit-policy")).toBe('"admin";q=5000;w=20');
  });

  test("the largest CatalogAdmin page (first: 100) still fits", async () => {
    const res = await stack.post(CatalogAdminDocument, { first: 100 }, { token: await adminToken() });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.extensions?.cost.requestedQueryCost).toBeLessThanOrEqual(2_000);
  });
});

describe("each limit: just under passes, just over is refused before any upstream call", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        MAX_QUERY_DEPTH: "3",
        MAX_QUERY_COST: "100",
        MAX_ALIASES: "3",
        MAX_DIRECTIVES: "2",
        MAX_QUERY_TOKENS: "60",
        MAX_QUERY_BYTES: "400",
        MAX_BODY_BYTES: "2048",
      },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.upstreams.reset());

  const refused = async (query: string, variables: Record<string, unknown>, status: number, expectedCode: string) => {
    stack.upstreams.reset();
    const res = await stack.gql<Json>(query, variables);
    expect(res.status).toBe(status);
    expect(code(res)).toBe(expectedCode);
    expect(res.body.data).toBeUndefined();
    expect(totalCalls(stack)).toBe(0);
    return res;
  };
  const passes = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await stack.gql<Json>(query, variables);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res;
  };

  test("depth", async () => {
    await passes('{ product(id: "p-0001") { reviews { author { id } } } }');
    const res = await refused(
      '{ product(id: "p-0001") { reviews { author { orders { nodes { id } } } } } }',
      {},
      400,
      "GRAPHQL_VALIDATION_FAILED",
    );
    expect(res.body.errors?.[0]?.message).toMatch(/exceeds maximum operation depth of 3/);
  });

  test("cost", async () => {
    const under = await passes("query($n: Int!) { products(first: $n) { nodes { stock { available } } } }", { n: 32 }); // 2 + 32 × 3 = 98
    expect(under.body.extensions?.cost.requestedQueryCost).toBe(98);
    const res = await refused(
      "query($n: Int!) { products(first: $n) { nodes { stock { available } } } }",
      { n: 33 },
      400,
      "QUERY_TOO_COSTLY",
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ cost: 101, maximumCost: 100 });
    expect(res.body.errors?.[0]?.message).toContain("101");
  });

  test.each([[0], [101], [-5]])("first: %i is BAD_USER_INPUT", async (first) => {
    const res = await refused(
      "query($n: Int!) { products(first: $n) { totalCount } }",
      { n: first },
      400,
      "BAD_USER_INPUT",
    );
    expect(res.body.errors?.[0]?.message).toBe(`Query.products(first:) must be between 1 and 100, got ${first}`);
  });

  test("first: 1 and 100 pass; a nested first is checked too", async () => {
    await passes("{ products(first: 1) { totalCount } }");
    await passes("{ products(first: 100) { totalCount } }");
    await refused('{ product(id: "p-0001") { reviews(first: 500) { id } } }', {}, 400, "BAD_USER_INPUT");
  });

  test("aliases", async () => {
    await passes("{ a: categories { id } b: categories { id } c: categories { id } }");
    const res = await refused(
      "{ a: categories { id } b: categories { id } c: categories { id } d: categories { id } }",
      {},
      400,
      "GRAPHQL_VALIDATION_FAILED",
    );
    expect(res.body.errors?.[0]?.message).toBe("Aliases limit of 3 exceeded, found 4.");
  });

  test("directives", async () => {
    await passes("{ categories { id @include(if: true) name @skip(if: false) } }");
    await refused(
      "{ categories { id @include(if: true) name @skip(if: false) __typename @include(if: true) } }",
      {},
      400,
      "GRAPHQL_VALIDATION_FAILED",
    );
  });

  test("tokens", async () => {
    const fields = (n: number) => Array.from({ length: n }, () => "id").join(" ");
    await passes(`{ categories { ${fields(50)} } }`);
    const res = await refused(`{ categories { ${fields(60)} } }`, {}, 400, "GRAPHQL_PARSE_FAILED");
    expect(res.body.errors?.[0]?.message).toMatch(/more th.. 60 tokens/);
  });

  test("query size in bytes", async () => {
    const padded = (bytes: number) => `{ categories { id } }${" ".repeat(bytes - 21)}`;
    await passes(padded(400));
    const res = await stack.gql<Json>(padded(401));
    expect(res.status).toBe(413);
    expect(code(res)).toBe("PAYLOAD_TOO_LARGE");
    expect(totalCalls(stack)).toBe(0);
  });

  test("request body size", async () => {
    await passes("query($v: String) { products(first: 1, search: $v) { totalCount } }", { v: "x".repeat(1_800) });
    stack.upstreams.reset();
    const res = await stack.gql<Json>("query($v: String) { products(first: 1, search: $v) { totalCount } }", {
      v: "x".repeat(2_100),
    });
    expect(res.status).toBe(413);
    expect(code(res)).toBe("PAYLOAD_TOO_LARGE");
    expect(totalCalls(stack)).toBe(0);
  });

  test("one operation per HTTP request: batches are refused", async () => {
    const res = await fetch(stack.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ categories { id } }" }, { query: "{ categories { id } }" }]),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/batching/i);
    expect(totalCalls(stack)).toBe(0);
  });
});

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

describe("public responses are the same for every caller", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ defaultRateLimits: true });
  });
  afterAll(() => stack.close());

  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { "apollo-require-preflight": "true", ...headers },
    });

  test("a public GET: one body and one ETag for every caller, the caller's bucket in the fields only; If-None-Match answers 304", async () => {
    const query = '{ product(id: "p-0002") { id name price { amount } } }';
    const anonymous = await get(query);
    const customer = await get(query, { authorization: `Bearer ${await token("u-0041")}` });
    const admin = await get(query, { authorization: `Bearer ${await adminToken()}` });
    const bodies = await Promise.all([anonymous, customer, admin].map((res) => res.text()));
    expect(anonymous.headers.get("cache-control")).toBe("max-age=60, public");
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] as string).extensions.cost).toEqual({
      requestedQueryCost: 3,
      actualQueryCost: 3,
      maximumCost: 2_000,
    });
    const etag = anonymous.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(customer.headers.get("etag")).toBe(etag);
    expect(admin.headers.get("etag")).toBe(etag);
    expect(anonymous.headers.get("vary")).toBe("accept");
    expect(customer.headers.get("ratelimit")).toMatch(/^"customer";r=997;t=\d+$/);
    expect(admin.headers.get("ratelimit")).toMatch(/^"admin";r=4997;t=\d+$/);

    stack.upstreams.reset();
    const again = await get(query, {
      "if-none-match": etag as string,
      authorization: `Bearer ${await token("u-0042")}`,
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("max-age=60, public");
    expect(again.headers.get("ratelimit")).toMatch(/^"customer";r=997;/);
    expect(totalCalls(stack)).toBe(0);
    expect((await get(query, { "if-none-match": '"something-else"' })).status).toBe(200);
  });

  test("a private response names Authorization and Cookie in Vary, carries the caller's bucket in its body and has no ETag", async () => {
    const res = await get("{ me { id } }", { authorization: `Bearer ${await token("u-0043")}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/private|no-store/);
    expect(res.headers.get("vary")).toBe("accept, authorization, cookie");
    expect(res.headers.get("etag")).toBeNull();
    expect(((await res.json()) as Json).extensions.cost.throttleStatus).toEqual({
      maximumAvailable: 1_000,
      currentlyAvailable: 998,
      restoreRate: 50,
    });
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
