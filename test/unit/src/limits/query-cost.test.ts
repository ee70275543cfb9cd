import { parse } from "graphql";
import { costOf, MAX_FIRST } from "../../../../src/limits/query-cost";
import { PAGE, schema } from "../../../support/priced-schema";

describe("costOf", () => {
  test("leaves are free, an object costs 1 plus its fields, an upstream field its price plus its fields", () => {
    expect(costOf(schema, parse("{ version }"), {})).toEqual({ cost: 0, violations: [], paged: false });
    expect(costOf(schema, parse('{ product(id: "p") { id name price { amount } } }'), {}).cost).toBe(2 + 1);
  });

  test("a paged list costs its own price plus first × one item; nested lists multiply; the default first when none is given", () => {
    // products: 2 + 3 × nodes(1 + reviews(2 + 2 × author 2)) = 2 + 3 × 7
    expect(costOf(schema, PAGE, { n: 3 })).toEqual({ cost: 23 + 2 + 0, violations: [], paged: true });
    expect(costOf(schema, PAGE, {}).cost).toBe(2 + 20 * 7 + 2);
    expect(costOf(schema, parse("{ products { nodes { reviews { id } } } }"), {}).cost).toBe(2 + 20 * (1 + 2 + 5 * 0));
  });

  test("fragments cost what their fields cost, wherever they are spread", () => {
    const inline = costOf(schema, parse("{ products(first: 4) { nodes { id price { amount } } } }"), {}).cost;
    expect(
      costOf(
        schema,
        parse("{ products(first: 4) { nodes { ...P } } } fragment P on Product { id price { amount } }"),
        {},
      ).cost,
    ).toBe(inline);
    expect(inline).toBe(2 + 4 * (1 + 1));
  });

  test("every first outside 1..100, with variables applied, is a violation naming the field", () => {
    const { violations } = costOf(
      schema,
      parse("query($n: Int) { products(first: $n) { nodes { reviews(first: 0) { id } } } }"),
      { n: MAX_FIRST + 1 },
    );
    expect(violations).toEqual(
      expect.arrayContaining([
        { field: "Query.products", argument: "first", value: 101 },
        { field: "Product.reviews", argument: "first", value: 0 },
      ]),
    );
    expect(violations).toHaveLength(2);
  });

  test("the named operation is the one costed", () => {
    const two = parse('query A { version } query B { product(id: "p") { id } }');
    expect([costOf(schema, two, {}, "A").cost, costOf(schema, two, {}, "B").cost]).toEqual([0, 2]);
  });
});
