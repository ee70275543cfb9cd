import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { DashboardOverviewDocument } from "../../../../operations/generated/graphql";
import { buildOrder, buildPayment, buildProduct, buildStock, buildUser } from "../../../support/builders";
import { fakeSources } from "../../../support/fake-sources";
import { admin, codes, customer, execute, testContext } from "../../../support/test-context";

const world = {
  orders: [
    buildOrder({ id: "o-000001", userId: "u-0001", status: "paid" }),
    buildOrder({ id: "o-000002", userId: "u-0002", status: "pending", paymentId: null }),
    buildOrder({ id: "o-000003", userId: "u-0001", status: "paid", paymentId: "pay-000003" }),
  ],
  users: [buildUser(), buildUser({ id: "u-0002", name: "Grace" })],
  payments: [buildPayment(), buildPayment({ id: "pay-000003" })],
  products: [buildProduct()],
  stock: [buildStock({ available: 2 })],
};
const ORDER = parse(
  "query($id: ID!) { order(id: $id) { id status customer { id } payment { id } } }",
) as TypedDocumentNode<
  { order: { id: string; status: string; customer: { id: string } | null; payment: { id: string } | null } | null },
  { id: string }
>;

describe("OrderResolver (fake datasources)", () => {
  test("order(id): the owner sees it, with customer and payment asked in one wave", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(ORDER, { id: "o-000001" }, testContext({ sources, viewer: customer("u-0001") }));
    expect(answer).toEqual({
      data: { order: { id: "o-000001", status: "PAID", customer: { id: "u-0001" }, payment: { id: "pay-000001" } } },
      errors: undefined,
    });
    expect(asked.waves()).toEqual([
      ["orders.findOrder o-000001"],
      ["accounts.findUser u-0001", "payments.findPayment pay-000001"],
    ]);
  });

  test("another user's order is FORBIDDEN, none is NOT_FOUND (ownership needs the order first); an admin sees any", async () => {
    const { sources, asked } = fakeSources(world);
    expect(
      codes(await execute(ORDER, { id: "o-000002" }, testContext({ sources, viewer: customer("u-0001") }))),
    ).toEqual([["FORBIDDEN", "order"]]);
    expect(
      codes(await execute(ORDER, { id: "o-999999" }, testContext({ sources, viewer: customer("u-0001") }))),
    ).toEqual([["NOT_FOUND", "order"]]);
    expect(asked.calls).toEqual(["orders.findOrder o-000002", "orders.findOrder o-999999"]);
    const asAdmin = await execute(ORDER, { id: "o-000002" }, testContext({ sources, viewer: admin() }));
    expect(asAdmin.data?.order).toEqual({
      id: "o-000002",
      status: "PENDING",
      customer: { id: "u-0002" },
      payment: null,
    });
    expect(asked.calls).not.toContain("payments.findPayment null"); // no payment id: payments is not asked
  });

  test("anonymous: UNAUTHENTICATED, orders not asked", async () => {
    const { sources, asked } = fakeSources(world);
    expect(codes(await execute(ORDER, { id: "o-000001" }, testContext({ sources })))).toEqual([
      ["UNAUTHENTICATED", "order"],
    ]);
    expect(asked.calls).toEqual([]);
  });

  test("DashboardOverview (admin): the status filter reaches orders in lower case; customers, payments, products and their stock in one wave", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      DashboardOverviewDocument,
      { first: 10, status: "PAID" },
      testContext({ sources, viewer: admin() }),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.orders?.nodes.map((o) => [o.id, o.status, o.customer?.id, o.payment?.id])).toEqual([
      ["o-000001", "PAID", "u-0001", "pay-000001"],
      ["o-000003", "PAID", "u-0001", "pay-000003"],
    ]);
    expect(answer.data?.lowStock).toEqual([{ id: "p-0001", sku: "SKU-0001", name: "Kettle", stock: { available: 2 } }]);
    expect(asked.waves()).toEqual([
      ["inventory.listLowStock 5 20", 'orders.listOrders {"limit":10,"status":"paid"}'],
      [
        "accounts.findUser u-0001",
        "catalog.findProduct p-0001",
        "inventory.findStock p-0001", // the items' stock needs only the product id: beside the catalog (look-ahead)
        "payments.findPayment pay-000001",
        "payments.findPayment pay-000003",
      ],
    ]);
  });

  test("orders (list) is for admins: a customer is FORBIDDEN and orders is not asked", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      DashboardOverviewDocument,
      { first: 10 },
      testContext({ sources, viewer: customer() }),
    );
    expect(answer.data).toEqual({ orders: null, lowStock: null });
    expect(codes(answer).sort()).toEqual([
      ["FORBIDDEN", "lowStock"],
      ["FORBIDDEN", "orders"],
    ]);
    expect(asked.calls).toEqual([]);
  });
});
