import { ProductDetailDocument } from "../../operations/generated/graphql";
import { startStack, type Json, type Stack } from "../support/stack";
import { adminToken, TEST_JWT, token } from "../support/tokens";
import { serviceEnv } from "../support/services";

describe("explain (extensions.upstream)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.upstreams.reset());

  const explain = { headers: { "x-bff-explain": "1" } };

  test("lists exactly the calls the upstreams saw, with route, status, cache result, batch size and the asking fields", async () => {
    const res = await stack.post(ProductDetailDocument, { id: "p-0004" }, explain);
    expect(res.body.errors).toBeUndefined();
    const calls = res.body.extensions?.upstream.calls as Json[];
    const made = calls.filter((c) => c.route !== null);
    const seen = Object.entries(stack.upstreams.services).flatMap(([service, control]) =>
      control.calls.map((call) => ({ service, call })),
    );
    expect(made).toHaveLength(seen.length);
    for (const { service, call } of seen) {
      const route = `${call.method} ${call.path.replace(/\/(?![a-z]+(?:\/|$))[^/]+/g, "/{id}")}`;
      const entry = made.find((c) => c.service === service && c.route === route);
      expect(entry).toMatchObject({ status: 200, cache: "miss", ms: expect.any(Number) });
      const ids = call.query.ids ?? call.query.productIds;
      expect(entry?.batchSize).toBe(ids ? ids.split(",").length : 1);
    }
    expect(made.some((c) => (c.fields as string[]).length > 0)).toBe(true);
    const cost = res.body.extensions?.cost;
    expect(cost.requestedQueryCost).toBeGreaterThan(0);
    expect(res.body.extensions?.upstream.cost).toEqual({
      estimated: cost.requestedQueryCost,
      actual: cost.actualQueryCost ?? cost.requestedQueryCost,
    });
    expect(res.body.extensions?.upstream.cost.actual).toBeLessThanOrEqual(res.body.extensions?.upstream.cost.estimated);
  });

  test("a warm request lists fresh lookups and no call; the upstreams saw none", async () => {
    await stack.post(ProductDetailDocument, { id: "p-0005" });
    stack.upstreams.reset();
    const res = await stack.post(ProductDetailDocument, { id: "p-0005" }, explain);
    const calls = res.body.extensions?.upstream.calls as Json[];
    expect(Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0)).toBe(0);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.route === null && c.cache === "fresh")).toBe(true);
  });

  test("requests that do not ask get no extensions.upstream", async () => {
    const res = await stack.post(ProductDetailDocument, { id: "p-0004" });
    expect(res.body.extensions?.upstream).toBeUndefined();
    const other = await stack.post(ProductDetailDocument, { id: "p-0004" }, { headers: { "x-bff-explain": "no" } });
    expect(other.body.extensions?.upstream).toBeUndefined();
  });
});

describe("explain in production", () => {
  let stack: Stack;
  beforeAll(async () => {
    const urls = serviceEnv((s) => ({ URL: "http://127.0.0.1:9", API_KEY: `dev-${s}-key` }));
    stack = await startStack({
      env: {
        ...urls,
        NODE_ENV: "production",
        JWT_SECRET: TEST_JWT.secret,
        JWT_ISSUER: TEST_JWT.issuer,
        JWT_AUDIENCE: TEST_JWT.audience,
        TRUSTED_DOCUMENTS: "allow",
      },
    });
  });
  afterAll(() => stack.close());

  test("only admins who ask get extensions.upstream", async () => {
    const headers = { "x-bff-explain": "1" };
    const anonymous = await stack.post(ProductDetailDocument, { id: "p-0006" }, { headers });
    expect(anonymous.body.errors).toBeUndefined();
    expect(anonymous.body.extensions?.upstream).toBeUndefined();
    const customer = await stack.post(
      ProductDetailDocument,
      { id: "p-0006" },
      { headers, token: await token("u-0001") },
    );
    expect(customer.body.extensions?.upstream).toBeUndefined();
    const admin = await stack.post(ProductDetailDocument, { id: "p-0006" }, { headers, token: await adminToken() });
    expect(admin.body.errors).toBeUndefined();
    expect((admin.body.extensions?.upstream.calls as Json[]).length).toBeGreaterThan(0);
  });
});
