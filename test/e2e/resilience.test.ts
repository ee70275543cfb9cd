import { ProductDetailDocument } from "../../operations/generated/graphql";
import { startStack, type Stack, type Json } from "../support/stack";
import { token } from "../support/tokens";

const errorsOf = (res: { body: { errors?: Array<{ path?: unknown[]; extensions?: Record<string, unknown> }> } }) =>
  (res.body.errors ?? []).map((e) => ({
    path: e.path?.join("."),
    code: e.extensions?.code,
    service: e.extensions?.service,
  }));
const inFlight = (stack: Stack) => Object.values(stack.server.clients).reduce((sum, c) => sum + c.inFlight, 0);

describe("partial results when an upstream is down", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { REVIEWS_RETRIES: "1" } });
  });
  afterAll(() => stack.close());

  test("reviews down: the product page still renders, reviews empty and rating null, each with UPSTREAM_UNAVAILABLE", async () => {
    stack.upstreams.services.reviews.setFaults({ mode: "down" });
    const res = await stack.post(ProductDetailDocument, { id: "p-0005" });
    expect(res.status).toBe(200);
    expect(res.body.data?.product).toMatchObject({
      id: "p-0005",
      name: expect.any(String),
      price: expect.any(Object),
      stock: expect.any(Object),
      reviews: [],
      rating: null,
    });
    expect(errorsOf(res)).toEqual(
      expect.arrayContaining([
        { path: "product.reviews", code: "UPSTREAM_UNAVAILABLE", service: "reviews" },
        { path: "product.rating", code: "UPSTREAM_UNAVAILABLE", service: "reviews" },
      ]),
    );
    expect(JSON.stringify(res.body.errors)).not.toMatch(/127\.0\.0\.1|dev-reviews-key|http:/);
  });
});

describe("deadlines", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { REQUEST_DEADLINE_MS: "1500", INVENTORY_TIMEOUT_MS: "60000" } });
  });
  afterAll(() => stack.close());

  test("an upstream that hangs: the answer comes at the deadline with partial data, and no call is left running", async () => {
    stack.upstreams.services.inventory.setFaults({ mode: "hang" });
    const started = Date.now();
    const res = await stack.post(ProductDetailDocument, { id: "p-0006" });
    expect(Date.now() - started).toBeLessThan(5_000); // the hang is endless; the deadline is 1.5 s (room for a loaded machine to do the rest)
    expect(res.body.data?.product).toMatchObject({ id: "p-0006", stock: null });
    expect(errorsOf(res)).toEqual([{ path: "product.stock", code: "UPSTREAM_TIMEOUT", service: "inventory" }]);
    expect(stack.upstreams.services.inventory.calls).toHaveLength(1); // no retry after the deadline
    expect(inFlight(stack)).toBe(0);
  });
});

describe("retries", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("30% of upstream responses are 503: reads still succeed, within the retry budget", async () => {
    for (const service of Object.values(stack.upstreams.services)) service.setFaults({ errorRate: 0.3 });
    const ids = Array.from({ length: 12 }, (_, i) => `p-${String(200 + i).padStart(4, "0")}`);
    for (const id of ids) {
      const res = await stack.post(ProductDetailDocument, { id });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.product?.id).toBe(id);
    }
    const calls = Object.values(stack.upstreams.services).flatMap((s) => s.calls);
    const failed = calls.filter((c) => c.status === 503).length;
    const succeeded = calls.length - failed;
    expect(failed).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(succeeded * (1 + stack.config.resilience.catalog.retries)); // at most 2 retries per logical call
  });

  test("a write without an idempotency key is never retried", async () => {
    stack.upstreams.reset();
    stack.upstreams.services.reviews.setFaults({ mode: "down", only: "^/reviews$" });
    const res = await stack.gql(
      'mutation { addReview(productId: "p-0001", rating: 5, body: "Nice") { review { id } } }',
      {},
      { token: await token("u-0003") },
    );
    expect(errorsOf(res)).toEqual([{ path: "addReview", code: "UPSTREAM_UNAVAILABLE", service: "reviews" }]);
    expect(stack.upstreams.services.reviews.calls.filter((c) => c.method === "POST")).toHaveLength(1);
  });
});

describe("circuit breaker", () => {
  let stack: Stack;
  const realNow = Date.now;
  let offset = 0;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        CATALOG_RETRIES: "0",
        CATALOG_BREAKER_MIN_CALLS: "4",
        CATALOG_BREAKER_THRESHOLD: "0.5",
        CATALOG_BREAKER_HALF_OPEN_MS: "5000",
      },
    });
    jest.spyOn(Date, "now").mockImplementation(() => realNow() + offset); // moves the breaker's clock without sleeping
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await stack.close();
  });
  const lookup = (n: number) =>
    stack.gql<Json>("query($id: ID!) { product(id: $id) { id } }", { id: `p-${String(300 + n).padStart(4, "0")}` });

  test("opens after repeated failures, makes no calls while open, closes after the upstream recovers", async () => {
    stack.upstreams.services.catalog.setFaults({ mode: "down" });
    for (let n = 0; n < 4; n++) expect(errorsOf(await lookup(n))[0]?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(stack.server.clients.catalog.policy.circuit).toBe("open");

    const callsWhenOpened = stack.upstreams.services.catalog.calls.length;
    stack.upstreams.services.catalog.setFaults({ mode: "ok" }); // recovered, but the breaker does not know yet
    for (let n = 4; n < 7; n++)
      expect(errorsOf(await lookup(n))).toEqual([{ path: "product", code: "CIRCUIT_OPEN", service: "catalog" }]);
    expect(stack.upstreams.services.catalog.calls).toHaveLength(callsWhenOpened);

    offset += 5_001; // half-open: the next call is a probe
    expect((await lookup(7)).body.data?.product).toEqual({ id: "p-0307" });
    expect(stack.server.clients.catalog.policy.circuit).toBe("closed");
    expect((await lookup(8)).body.errors).toBeUndefined();
  });
});

describe("bulkhead", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { CATALOG_MAX_CONCURRENT: "1", CATALOG_MAX_QUEUED: "0", REQUEST_DEADLINE_MS: "1500", CATALOG_RETRIES: "0" },
    });
  });
  afterAll(() => stack.close());

  test("calls beyond the concurrency bound are refused at once instead of piling up", async () => {
    stack.upstreams.services.catalog.setFaults({ mode: "hang" });
    const first = stack.gql<Json>('{ product(id: "p-0401") { id } }');
    while (stack.upstreams.services.catalog.calls.length === 0) await new Promise((r) => setImmediate(r));
    const second = await stack.gql<Json>('{ product(id: "p-0402") { id } }');
    expect(errorsOf(second)).toEqual([{ path: "product", code: "UPSTREAM_UNAVAILABLE", service: "catalog" }]);
    expect(errorsOf(await first)).toEqual([{ path: "product", code: "UPSTREAM_TIMEOUT", service: "catalog" }]);
    expect(stack.upstreams.services.catalog.calls).toHaveLength(1);
  });
});

describe("stale if error", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("once max-age has passed and the upstream fails, the last value is served and the response says so", async () => {
    const auth = { token: await token("u-0012") }; // signed in: past the whole-response cache, down to the upstream cache
    const fresh = await stack.post(ProductDetailDocument, { id: "p-0010" }, auth);
    stack.clock.advance(61_000); // catalog (60 s), reviews (30 s) and inventory (5 s) entries are now stale
    for (const name of ["catalog", "reviews", "inventory"] as const)
      stack.upstreams.services[name].setFaults({ mode: "down" });
    const res = await stack.post(ProductDetailDocument, { id: "p-0010" }, auth);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual(fresh.body.data);
    expect(res.body.extensions?.stale).toEqual(
      expect.arrayContaining([
        { service: "catalog", ageSeconds: 1 },
        { service: "reviews", ageSeconds: 31 },
        { service: "inventory", ageSeconds: 56 },
      ]),
    );

    stack.clock.advance(stack.config.staleIfErrorMs); // beyond the bound: the failure shows
    const late = await stack.post(ProductDetailDocument, { id: "p-0010" }, auth);
    expect(late.body.data?.product).toBeNull();
    expect(errorsOf(late)[0]).toEqual({ path: "product", code: "UPSTREAM_UNAVAILABLE", service: "catalog" });
  });
});
