import { parse } from "graphql";
import { buildAppSchema } from "../../../src/build-schema";
import { costOf } from "../../../src/limits/query-cost";
import { QueryCoster } from "../../../src/limits/query-coster";

describe("actual cost: lists priced at what they returned", () => {
  const document = parse(
    "query($n: Int!) { products(first: $n) { nodes { id rs: reviews(first: 5) { author { id } } } } }",
  );
  const page = (...reviewCounts: number[]) => ({
    products: {
      nodes: reviewCounts.map((n, i) => ({
        id: `p-000${i}`,
        rs: Array.from({ length: n }, () => ({ author: { id: "u-0001" } })),
      })),
    },
  });

  test("nested lists: exact, however the items spread over the outer list (aliases and all)", async () => {
    const coster = new QueryCoster(await buildAppSchema());
    const requested = coster.cost(document, { n: 3 }, undefined);
    expect(requested.cost).toBe(41); // 2 + 3 × (1 + 2 + 5 × 2)
    expect(coster.actual(document, { n: 3 }, undefined, requested, page(1, 2, 0))).toBe(17); // 2 + 3 × (1 + 2) + 3 reviews × 2
    expect(coster.actual(document, { n: 3 }, undefined, requested, page(5, 5, 5))).toBe(41);
    expect(coster.actual(document, { n: 3 }, undefined, requested, page(4))).toBe(2 + 1 * 3 + 4 * 2);
    expect(coster.actual(document, { n: 3 }, undefined, requested, { products: null })).toBe(2);
    expect(coster.actual(document, { n: 3 }, undefined, requested, page(1, 2, 0))).toBe(17); // remembered, same answer
  });

  test("a document without paged lists costs what was requested", async () => {
    const schema = await buildAppSchema();
    const plain = parse('{ product(id: "p-0001") { id } }');
    const requested = costOf(schema, plain, {});
    expect(requested.paged).toBe(false);
    expect(new QueryCoster(schema).actual(plain, {}, undefined, requested, { product: null })).toBe(requested.cost);
  });
});
