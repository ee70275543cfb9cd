import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

describe("concurrent misses", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("requests that miss the same entry at once make one upstream call", async () => {
    const catalog = stack.upstreams.services.catalog;
    catalog.setFaults({ mode: "hold" }); // answers wait until released
    const query = '{ products(first: 3, categoryId: "c-05") { totalCount } }';
    const [a, b] = [
      stack.gql(query, {}, { token: await token("u-0003") }),
      stack.gql(query, {}, { token: await token("u-0004") }),
    ];
    const joined = async () =>
      /bff_cache_lookups_total\{service="catalog",result="coalesced"\} 1\b/.test(
        await (await fetch(`${stack.url}/metrics`)).text(),
      );
    while (!(await joined())) await new Promise((resolve) => setImmediate(resolve));
    catalog.setFaults({ mode: "ok" });
    const results = await Promise.all([a, b]);
    expect(results.map((r) => r.body.data)).toEqual([
      { products: { totalCount: expect.any(Number) } },
      { products: { totalCount: expect.any(Number) } },
    ]);
    expect(catalog.calls.filter((c) => c.path === "/products")).toHaveLength(1);
  });
});
