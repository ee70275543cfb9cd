import { parse } from "graphql";
import { QueryCoster } from "../../../../src/limits/query-coster";
import { PAGE, schema } from "../../../support/priced-schema";

describe("QueryCoster", () => {
  test("remembers a cost per document and value of its paging variables only", () => {
    const coster = new QueryCoster(schema);
    const a = coster.cost(PAGE, { n: 3, id: "p-1" }, "Page");
    expect(coster.cost(PAGE, { n: 3, id: "p-2" }, "Page")).toBe(a); // `id` does not change a cost
    const b = coster.cost(PAGE, { n: 4, id: "p-1" }, "Page");
    expect(b).not.toBe(a);
    expect(b.cost).toBe(2 + 4 * 7 + 2);
    expect(coster.cost(parse(PAGE.loc?.source.body ?? ""), { n: 3 }, "Page")).not.toBe(a); // another parse: another document
  });

  test("remembers at most maxPerDocument costs per document (a stream of new `first` values cannot grow it)", () => {
    const coster = new QueryCoster(schema, 1);
    const first = coster.cost(PAGE, { n: 1 }, "Page");
    const other = coster.cost(PAGE, { n: 2 }, "Page");
    expect(coster.cost(PAGE, { n: 1 }, "Page")).toBe(first);
    expect(coster.cost(PAGE, { n: 2 }, "Page")).not.toBe(other);
    expect(coster.cost(PAGE, { n: 2 }, "Page")).toEqual(other);
  });

  test("actual: each list priced at the items it returned (averaged over its places), never above what was asked", () => {
    const coster = new QueryCoster(schema);
    const requested = coster.cost(PAGE, { n: 3 }, "Page");
    const node = (reviews: number) => ({
      id: "p",
      reviews: Array.from({ length: reviews }, () => ({ author: { id: "u" } })),
    });
    const data = (...reviews: number[]) => ({ products: { nodes: reviews.map(node), totalCount: 9 }, product: null });
    expect(coster.actual(PAGE, { n: 3 }, "Page", requested, data(2, 2, 2))).toBe(requested.cost);
    expect(coster.actual(PAGE, { n: 3 }, "Page", requested, data(1))).toBe(2 + 1 * (1 + 2 + 1 * 2) + 2);
    expect(coster.actual(PAGE, { n: 3 }, "Page", requested, data(2, 0))).toBe(2 + 2 * (1 + 2 + 1 * 2) + 2);
    expect(coster.actual(PAGE, { n: 3 }, "Page", requested, data(9, 9, 9, 9))).toBe(requested.cost);
    expect(coster.actual(PAGE, { n: 3 }, "Page", requested, { products: null, product: null })).toBe(2 + 2);
  });

  test("actual of a document without paged lists is what was requested, without walking the data", () => {
    const coster = new QueryCoster(schema);
    const doc = parse('{ product(id: "p") { id price { amount } } }');
    const requested = coster.cost(doc, {}, undefined);
    expect(coster.actual(doc, {}, undefined, requested, { product: null })).toBe(3);
  });
});
