import {
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from "graphql";
import { Cost, pagedList } from "../../../../schema/shared/cost";
import { costOf, MAX_FIRST, QueryCoster } from "../../../../src/limits/query-cost";

// A small schema priced with the project's cost model (schema/shared/cost.ts), as type-graphql's `complexity` puts it on fields.
const User = new GraphQLObjectType({ name: "User", fields: { id: { type: GraphQLID } } });
const Review = new GraphQLObjectType({
  name: "Review",
  fields: { id: { type: GraphQLID }, author: { type: User, extensions: { complexity: Cost.upstream } } },
});
const Money = new GraphQLObjectType({ name: "Money", fields: { amount: { type: GraphQLInt } } });
const Product = new GraphQLObjectType({
  name: "Product",
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: { type: GraphQLString },
    price: { type: Money },
    reviews: {
      type: new GraphQLList(Review),
      args: { first: { type: GraphQLInt, defaultValue: 5 } },
      extensions: { complexity: pagedList(5) },
    },
  },
});
const Connection = new GraphQLObjectType({
  name: "ProductConnection",
  fields: { nodes: { type: new GraphQLList(Product) }, totalCount: { type: GraphQLInt } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: {
      product: { type: Product, args: { id: { type: GraphQLID } }, extensions: { complexity: Cost.upstream } },
      products: {
        type: Connection,
        args: { first: { type: GraphQLInt, defaultValue: 20 } },
        extensions: { complexity: pagedList(20) },
      },
      version: { type: GraphQLString },
    },
  }),
});

const PAGE = parse(
  "query Page($n: Int, $id: ID) { products(first: $n) { nodes { id reviews(first: 2) { author { id } } } totalCount } product(id: $id) { id } }",
);

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
