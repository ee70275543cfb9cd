import { buildSchema, parse } from "graphql";
import { CachePolicies } from "../../../../src/cache/cache-policy";

const schema = buildSchema(`
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT
  enum CacheControlScope { PUBLIC PRIVATE }
  type Query { product(id: ID!): Product @cacheControl(maxAge: 60) me: User @cacheControl(maxAge: 0, scope: PRIVATE) plain: String }
  type Product { id: ID! name: String price: Money @cacheControl(inheritMaxAge: true) stock: Stock @cacheControl(maxAge: 5) cost: Money related: [Product!] }
  type Money { amount: Int }
  type Stock { available: Int }
  type User { id: ID! email: String }
`);
const policies = new CachePolicies(schema, new Set(["Product.cost"]));
const policyOf = (text: string, name?: string) => policies.of(parse(text), name);

describe("cache policy of a document", () => {
  test("the shortest max-age of the selected fields; scalars and inheritMaxAge take their parent's", () => {
    expect(policyOf('{ product(id: "1") { id name price { amount } } }')).toEqual({ maxAge: 60, scope: "PUBLIC" });
    expect(policyOf('{ product(id: "1") { name stock { available } } }')).toEqual({ maxAge: 5, scope: "PUBLIC" });
  });

  test("an object field without a hint, and a root field without one, make it uncacheable", () => {
    expect(policyOf('{ product(id: "1") { related { id } } }').maxAge).toBe(0);
    expect(policyOf("{ plain }").maxAge).toBe(0);
  });

  test("a personal field (access rule or PRIVATE hint) makes it private", () => {
    expect(policyOf('{ product(id: "1") { cost { amount } } }').scope).toBe("PRIVATE");
    expect(policyOf("{ me { id } }")).toEqual({ maxAge: 0, scope: "PRIVATE" });
  });

  test("fields reached through fragments count, and the named operation is the one costed", () => {
    const text =
      'query A { product(id: "1") { ...F } } query B { product(id: "1") { name } } fragment F on Product { ... on Product { stock { available } } }';
    expect(policyOf(text, "A").maxAge).toBe(5);
    expect(policyOf(text, "B").maxAge).toBe(60);
  });

  test("a fragment cycle does not recurse forever", () => {
    expect(policyOf('{ product(id: "1") { ...F } } fragment F on Product { related { ...F } }').maxAge).toBe(0);
  });
});
