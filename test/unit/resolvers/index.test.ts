import type { GraphQLSchema } from "graphql";
import { resolvers } from "../../../resolvers";
import { upstreamDeclarations } from "../../../resolvers/shared/upstream-field";
import { buildAppSchema } from "../../../src/build-schema";
import { upstreamFieldProblems } from "../../support/upstream-declarations";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

describe("the resolver list", () => {
  test("every field that reads an upstream is declared whole: services, cost, cache hint", () => {
    expect(upstreamFieldProblems(schema, resolvers)).toEqual([]);
  });

  test("the check sees every upstream-backed field (it cannot pass by seeing none)", () => {
    const declared = upstreamDeclarations().map((d) => `${d.resolver.name}.${d.method}`);
    expect(declared.sort()).toEqual([
      "CategoryResolver.categories",
      "CategoryResolver.products",
      "CheckoutAuditResolver.checkout",
      "CheckoutAuditResolver.checkouts",
      "CheckoutAuditResolver.customer",
      "CheckoutAuditResolver.steps",
      "CheckoutResolver.checkout",
      "OrderItemResolver.product",
      "OrderResolver.customer",
      "OrderResolver.order",
      "OrderResolver.orders",
      "OrderResolver.payment",
      "ProductResolver.category",
      "ProductResolver.lowStock",
      "ProductResolver.product",
      "ProductResolver.products",
      "ProductResolver.rating",
      "ProductResolver.reviews",
      "ProductResolver.stock",
      "ReviewResolver.addReview",
      "ReviewResolver.author",
      "UserResolver.me",
      "UserResolver.orders",
      "UserResolver.user",
    ]);
  });
});
