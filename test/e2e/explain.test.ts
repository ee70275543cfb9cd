import { loadOperations } from "../support/operations";
import { startStack, type Json, type Stack } from "../support/stack";

const ops = loadOperations();

describe("explain (extensions.upstream)", () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack(); });
  afterAll(() => stack.close());
  beforeEach(() => stack.upstreams.reset());

  const explain = { headers: { "x-bff-explain": "1" } };

  test("lists exactly the calls the upstreams saw, with route, status, cache result, batch size and the asking fields", async () => {
    const res = await stack.gql(ops.ProductDetail as string, { id: "p-0004" }, explain);
    expect(res.body.errors).toBeUndefined();
    const calls = res.body.extensions?.upstream.calls as Json[];
    const made = calls.filter((c) => c.route !== null);
    const seen = Object.entries(stack.upstreams.services).flatMap(([service, control]) => control.calls.map((call) => ({ service, call })));
    expect(made).toHaveLength(seen.length);
    for (const { service, call } of seen) {
      const route = `${call.method} ${call.path.replace(/\/(?![a-z]+(?:\/|$))[^/]+/g, "/{id}")}`;
      const entry = made.find((c) => c.service === service && c.route === route);
      expect(entry).toMatchObject({ status: 200, cache: "miss", ms: expect.any(Number) });
      const ids = call.query.ids ?? call.query.productIds;
      expect(entry?.batchSize).toBe(ids ? ids.split(",").length : 1);
    }
    expect(made.some((c) => (c.fields as string[]).length > 0)).toBe(true);
    expect(res.body.extensions?.upstream.cost).toEqual({ estimated: res.body.extensions?.cost.requestedQueryCost, actual: expect.any(Number) });
    expect(res.body.extensions?.upstream.cost.actual).toBeGreaterThan(0);
    expect(res.body.extensions?.upstream.cost.actual).toBeLessThanOrEqual(res.body.extensions?.upstream.cost.estimated);
  });

  test("a warm request lists fresh lookups and no call; the upstreams saw none", async () => {
    await stack.gql(ops.ProductDetail as string, { id: "p-0005" });
    stack.upstreams.reset();
    const res = await stack.gql(ops.ProductDetail as string, { id: "p-0005" }, explain);
    const calls = res.body.extensions?.upstream.calls as Json[];
    expect(Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.route === null && c.cache === "fresh")).toBe(true);
  });

  test("requests that do not ask get no extensions.upstream", async () => {
    const res = await stack.gql(ops.ProductDetail as string, { id: "p-0004" });
    expect(res.body.extensions?.upstream).toBeUndefined();
    const other = await stack.gql(ops.ProductDetail as string, { id: "p-0004" }, { headers: { "x-bff-explain": "no" } });
    expect(other.body.extensions?.upstream).toBeUndefined();
  });
});
