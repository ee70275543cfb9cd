import { type GraphQLObjectType, type GraphQLField, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { authChecker, roleChecks } from "../../../src/auth/auth-checker";
import { buildAppSchema } from "../../../src/build-schema";
import type { Context } from "../../../src/context";
import { callResolversDirectly } from "../../../src/direct-resolvers";
import { ForbiddenError, UnauthenticatedError } from "../../../src/errors/bff-errors";
import { admin, customer, testContext } from "../../support/test-context";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

const field = (type: string, name: string): GraphQLField<unknown, Context> =>
  (schema.getType(type) as GraphQLObjectType).getFields()[name] as GraphQLField<unknown, Context>;
const infoOf = (type: string, name: string) =>
  ({ parentType: schema.getType(type), fieldName: name }) as unknown as GraphQLResolveInfo;
const resolve = (type: string, name: string, root: unknown, context: Context, args: Record<string, unknown> = {}) =>
  field(type, name).resolve?.(root, args, context, infoOf(type, name));

const product = { id: "p-0001", cost: { amount: 700, currency: "USD" }, price: { amount: 1_000, currency: "USD" } };

describe("field resolvers called directly (src/direct-resolvers.ts)", () => {
  test("the hot field resolvers and the plain fields type-graphql wrapped are set; those with @Args keep its path", () => {
    const direct = callResolversDirectly(schema, authChecker);
    expect(direct).toEqual(
      expect.arrayContaining([
        "Product.price",
        "Product.costPrice",
        "Product.stock",
        "Product.rating",
        "Product.reviews",
        "Product.category",
        "Review.author",
        "OrderItem.product",
        "Money.formatted",
        "User.email",
        "User.id",
      ]),
    );
    expect(direct).not.toContain("User.orders"); // @Args(() => PageArgs): converted to its class by type-graphql
    expect(direct).not.toContain("Category.products");
  });

  test("a field with a rule answers at once: the value for whom the rule lets see it, its error for anyone else", () => {
    // type-graphql's own path runs the rule as an async middleware: every item would be a promise.
    expect(resolve("Product", "costPrice", product, testContext({ viewer: admin() }))).toEqual(product.cost);
    expect(() => resolve("Product", "costPrice", product, testContext({ viewer: customer() }))).toThrow(ForbiddenError);
    expect(() => resolve("Product", "costPrice", product, testContext({ viewer: null }))).toThrow(UnauthenticatedError);
    const owner = { id: "u-0001", name: "Ann", email: "ann@example.com" };
    expect(resolve("User", "email", owner, testContext({ viewer: customer("u-0001") }))).toBe("ann@example.com");
    expect(() => resolve("User", "email", owner, testContext({ viewer: customer("u-0002") }))).toThrow(ForbiddenError);
    expect(resolve("User", "name", owner, testContext({ viewer: null }))).toBe("Ann"); // no rule: read as it is
  });

  test("the role part of a rule is still decided once per field and request, however many items", () => {
    const context = testContext({ viewer: admin() });
    const before = roleChecks.count;
    for (let i = 0; i < 100; i++) resolve("Product", "costPrice", { ...product, id: `p-${i}` }, context);
    expect(roleChecks.count - before).toBe(1);
  });

  test("scalar arguments are passed as graphql-js coerced them, without type-graphql's async validation", () => {
    const formatted = resolve("Money", "formatted", { amount: 123_456, currency: "USD" }, testContext());
    expect(formatted).toBe("$1,234.56");
    const reviews = [{ id: "r-1" }];
    const asked: Array<[string, number]> = [];
    const context = testContext();
    const sources = context.dataSources as unknown as Record<string, unknown>;
    sources.reviews = {
      ...(sources.reviews as object),
      listReviews: (productId: string, first: number) => {
        asked.push([productId, first]);
        return reviews;
      },
    };
    const answer = resolve("Product", "reviews", product, context, { first: 3 });
    expect(answer).toBe(reviews); // not a promise: the datasource answered at once
    expect(asked).toEqual([["p-0001", 3]]);
  });
});
