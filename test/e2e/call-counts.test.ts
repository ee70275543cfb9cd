import { CatalogAdminDocument, MyOrdersDocument } from "../../operations/generated/graphql";
import { reviewsOf } from "../support/expected";
import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";
import { NO_CALLS } from "../support/services";

/** Upstream calls recorded since the last reset, as `service METHOD path status`. */
const callsOf = (stack: Stack) =>
  Object.values(stack.upstreams.services).flatMap((s) => s.calls.map((c) => ({ service: s.name, ...c })));

describe("upstream call counts", () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  const distinctAuthors = (first: number): number => {
    const products = [...stack.upstreams.data.products].sort((a, b) => a.id.localeCompare(b.id)).slice(0, first);
    return new Set(
      products.flatMap((p) =>
        reviewsOf(stack.upstreams.data, p.id)
          .slice(0, 3)
          .map((r) => r.authorId),
      ),
    ).size;
  };

  test.each([10, 50])(
    "CatalogAdmin(first: %i) makes one call per batch endpoint plus one per distinct author",
    async (first) => {
      const res = await stack.post(CatalogAdminDocument, { first }, { token: await adminToken() });
      expect(res.body.errors).toBeUndefined();
      const calls = callsOf(stack);
      const paths = calls
        .filter((c) => c.service !== "accounts")
        .map((c) => `${c.service} ${c.path}`)
        .sort();
      expect(paths).toEqual([
        "catalog /categories",
        "catalog /products",
        "inventory /stock",
        "reviews /reviews",
        "reviews /reviews/summary",
      ]);
      expect(calls.filter((c) => c.service === "accounts")).toHaveLength(distinctAuthors(first));
      expect(new Set(calls.filter((c) => c.service === "accounts").map((c) => c.path)).size).toBe(
        distinctAuthors(first),
      );
    },
  );

  test("repeating CatalogAdmin within max-age makes no upstream call; after max-age catalog revalidates with 304", async () => {
    const auth = { token: await adminToken() };
    await stack.post(CatalogAdminDocument, { first: 50 }, auth);
    stack.upstreams.reset();

    const again = await stack.post(CatalogAdminDocument, { first: 50 }, auth);
    expect(again.body.errors).toBeUndefined();
    expect(stack.upstreams.callCounts()).toEqual(NO_CALLS);

    stack.clock.advance(61_000); // catalog's max-age is 60 s; accounts' is 300 s
    const later = await stack.post(CatalogAdminDocument, { first: 50 }, auth);
    expect(later.body.data).toEqual(again.body.data);
    const catalog = stack.upstreams.services.catalog.calls;
    expect(catalog.map((c) => [c.path, c.status])).toEqual(
      expect.arrayContaining([
        ["/products", 304],
        ["/categories", 304],
      ]),
    );
    expect(catalog).toHaveLength(2);
    expect(catalog.every((c) => c.headers["if-none-match"]?.startsWith('W/"'))).toBe(true);
    expect(stack.upstreams.callCounts().accounts).toBe(0);
    expect(stack.upstreams.callCounts().inventory).toBe(1); // 5 s max-age, no ETag: fetched again
  });

  test("a partly cached batch fetches only the misses", async () => {
    await stack.gql("query($id: ID!) { product(id: $id) { name } }", { id: "p-0002" });
    stack.upstreams.reset();
    const res = await stack.gql(
      '{ a: product(id: "p-0001") { name } b: product(id: "p-0002") { name } c: product(id: "p-0003") { name } }',
    );
    expect(res.body.errors).toBeUndefined();
    expect(stack.upstreams.services.catalog.calls.map((c) => c.query.ids)).toEqual(["p-0001,p-0003"]);
  });

  test("many ids go out in chunks of at most 100", async () => {
    const res = await stack.gql<{ orders: { nodes: Array<{ items: Array<{ product: { id: string } }> }> } }>(
      "{ orders(first: 100) { nodes { items { product { id } } } } }",
      {},
      { token: await adminToken() },
    );
    expect(res.body.errors).toBeUndefined();
    const distinct = new Set(res.body.data?.orders.nodes.flatMap((o) => o.items.map((i) => i.product.id)));
    expect(distinct.size).toBeGreaterThan(100);
    const batches = stack.upstreams.services.catalog.calls.map((c) => (c.query.ids ?? "").split(","));
    expect(batches).toHaveLength(Math.ceil(distinct.size / 100));
    expect(batches.every((ids) => ids.length <= 100)).toBe(true);
    expect(new Set(batches.flat())).toEqual(distinct);
  });

  test("no-store upstreams are never cached", async () => {
    const auth = { token: await token("u-0003") };
    await stack.post(MyOrdersDocument, { first: 5 }, auth);
    await stack.post(MyOrdersDocument, { first: 5 }, auth);
    expect(stack.upstreams.services.orders.calls).toHaveLength(2);
  });

  test("every upstream call carries the key, the request id, trace context and the user", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await stack.post(
      MyOrdersDocument,
      { first: 1 },
      {
        token: await token("u-0003"),
        headers: { "x-request-id": "req-abc-123", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      },
    );
    const calls = callsOf(stack);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.headers["x-api-key"]).toBe(stack.config.apiKeys[call.service as keyof typeof stack.config.apiKeys]);
      expect(call.headers["x-request-id"]).toBe("req-abc-123");
      expect(call.headers["x-user-id"]).toBe("u-0003");
      expect(call.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(call.headers.traceparent).not.toContain("00f067aa0ba902b7");
    }
  });
});
