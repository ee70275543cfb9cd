import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST } from "graphql";
import {
  AddReviewDocument,
  CatalogAdminDocument,
  CategoriesDocument,
  CheckoutDocument,
  CustomerDetailDocument,
  DashboardOverviewDocument,
  MyOrdersDocument,
  ProductDetailDocument,
  ProductListDocument,
} from "../../operations/generated/graphql";
import { startStack, type Stack } from "../support/stack";
import { adminToken } from "../support/tokens";

/** A contract operation with realistic variables, and its cost (a change here is a decision: see docs/clients/cost-and-limits.md). */
const priced = <R, V>(document: TypedDocumentNode<R, V>, variables: V, cost: number) => ({
  name: getOperationAST(document)?.name?.value,
  variables,
  cost,
  send: (stack: Stack, token: string) => stack.post(document, variables, { token }),
});
const CONTRACT = [
  priced(CategoriesDocument, {}, 2),
  priced(ProductListDocument, { first: 20 }, 142),
  priced(ProductDetailDocument, { id: "p-0001" }, 31),
  priced(MyOrdersDocument, { first: 10 }, 184),
  priced(AddReviewDocument, { productId: "p-0001", rating: 5, body: "Good" }, 14),
  priced(
    CheckoutDocument,
    {
      input: {
        items: [{ productId: "p-0001", quantity: 1 }],
        idempotencyKey: "limits-1",
        paymentMethod: "pm_card_visa",
      },
    },
    65,
  ),
  priced(CatalogAdminDocument, { first: 50 }, 902),
  priced(CustomerDetailDocument, { id: "u-0003" }, 104),
  priced(DashboardOverviewDocument, { first: 20 }, 786),
].map((op) => [op.name, op.variables, op.cost, op] as const);

describe("default limits", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ defaultRateLimits: true });
  });
  afterAll(() => stack.close());

  test.each(CONTRACT)("%s with %j costs %d and passes every default limit", async (_name, _variables, cost, op) => {
    const res = await op.send(stack, await adminToken());
    expect(res.body.errors).toBeUndefined();
    const shareable = /public/.test(res.headers.get("cache-control") ?? "");
    expect(res.body.extensions?.cost).toEqual({
      requestedQueryCost: cost,
      actualQueryCost: expect.any(Number),
      maximumCost: 2_000,
      // The caller's bucket is never in a body every caller may be served: the RateLimit fields carry it.
      ...(shareable
        ? {}
        : { throttleStatus: { maximumAvailable: 5_000, currentlyAvailable: expect.any(Number), restoreRate: 250 } }),
    });
    expect(res.body.extensions?.cost.actualQueryCost).toBeLessThanOrEqual(cost);
    expect(res.headers.get("ratelimit-policy")).toBe('"admin";q=5000;w=20');
  });

  test("the largest CatalogAdmin page (first: 100) still fits", async () => {
    const res = await stack.post(CatalogAdminDocument, { first: 100 }, { token: await adminToken() });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.extensions?.cost.requestedQueryCost).toBeLessThanOrEqual(2_000);
  });
});
