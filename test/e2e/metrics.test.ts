import { ProductDetailDocument } from "../../operations/generated/graphql";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

/** Reads one sample from the Prometheus text format. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

describe("GET /metrics", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("counts operations, upstream calls, cache lookups and circuit state", async () => {
    const auth = { token: await token("u-0003") }; // signed in: past the whole-response cache
    await stack.post(ProductDetailDocument, { id: "p-0001" }, auth);
    await stack.post(ProductDetailDocument, { id: "p-0001" }, auth);
    await stack.gql("query Custom123 { categories { id } }");
    stack.upstreams.services.reviews.setFaults({ mode: "down" });
    await stack.post(ProductDetailDocument, { id: "p-0002" }, auth);

    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(sample(text, "bff_graphql_operations_total", { operation: "ProductDetail", outcome: "ok" })).toBe(2);
    expect(sample(text, "bff_graphql_operations_total", { operation: "ProductDetail", outcome: "partial" })).toBe(1);
    expect(sample(text, "bff_graphql_operations_total", { operation: "other", outcome: "ok" })).toBe(1); // names outside the manifest are not labels
    expect(sample(text, "bff_graphql_errors_total", { code: "UPSTREAM_UNAVAILABLE" })).toBe(2); // reviews and rating
    expect(sample(text, "bff_upstream_calls_total", { service: "catalog", outcome: "200" })).toBeGreaterThanOrEqual(2);
    expect(sample(text, "bff_upstream_calls_total", { service: "reviews", outcome: "503" })).toBeGreaterThan(0);
    expect(sample(text, "bff_cache_lookups_total", { service: "catalog", result: "fresh" })).toBeGreaterThan(0);
    expect(sample(text, "bff_cache_lookups_total", { service: "catalog", result: "miss" })).toBeGreaterThan(0);
    expect(sample(text, "bff_upstream_circuit_state", { service: "catalog" })).toBe(0);
    expect(sample(text, "bff_upstream_in_flight", { service: "reviews" })).toBe(0);
    expect(text).toContain("bff_process_cpu_seconds_total");
  });
});

describe("in-process cache tiers in /metrics", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { CACHE_MEMORY_MB: "16", CACHE_ABSENT_MB: "1" } });
  });
  afterAll(() => stack.close());

  test("entries, bytes, budgets and hits per tier", async () => {
    const auth = { token: await token("u-0003") };
    await stack.post(ProductDetailDocument, { id: "p-0001" }, auth);
    await stack.post(ProductDetailDocument, { id: "p-0001" }, auth);
    // No such product: an absence in catalog, and in the two services the look-ahead asked beside it (stock, rating).
    await stack.post(ProductDetailDocument, { id: "p-9999" }, auth);

    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(sample(text, "bff_cache_budget_bytes", { tier: "absent" })).toBe(2 ** 20);
    expect(sample(text, "bff_cache_entries", { tier: "entities" })).toBeGreaterThan(0);
    expect(sample(text, "bff_cache_entries", { tier: "absent" })).toBe(3);
    expect(sample(text, "bff_cache_bytes", { tier: "entities" })).toBeGreaterThan(0);
    expect(sample(text, "bff_cache_tier_lookups_total", { tier: "entities", result: "hit" })).toBeGreaterThan(0);
    const ratio = sample(text, "bff_cache_hit_ratio", { tier: "entities" }) as number;
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(1);
  });
});
