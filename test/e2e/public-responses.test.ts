import { startStack, type Stack, type Json } from "../support/stack";
import { adminToken, token } from "../support/tokens";

const totalCalls = (stack: Stack) => Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0);

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
