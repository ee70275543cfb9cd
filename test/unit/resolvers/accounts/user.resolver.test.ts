import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { CustomerDetailDocument, MyOrdersDocument } from "../../../../operations/generated/graphql";
import { buildOrder, buildPayment, buildProduct, buildUser } from "../../../support/builders";
import { fakeSources } from "../../../support/fake-sources";
import { admin, codes, customer, execute, testContext } from "../../../support/test-context";

const orders = [
  buildOrder({ id: "o-000001", paymentId: "pay-000001" }),
  buildOrder({
    id: "o-000002",
    paymentId: "pay-000002",
    items: [{ productId: "p-0002", quantity: 1, unitPrice: { amount: 500, currency: "EUR" } }],
  }),
  buildOrder({ id: "o-000003", userId: "u-0002", paymentId: null }),
];
const world = {
  users: [buildUser(), buildUser({ id: "u-0002", name: "Grace", email: "grace@example.com", role: "admin" as const })],
  orders,
  products: [buildProduct(), buildProduct({ id: "p-0002", name: "Rake" })],
  payments: [buildPayment(), buildPayment({ id: "pay-000002", status: "refunded" })],
};
const USER = parse("query($id: ID!) { user(id: $id) { id email role } }") as TypedDocumentNode<
  { user: { id: string; email: string; role: string | null } | null },
  { id: string }
>;

describe("UserResolver (fake datasources)", () => {
  test("me: anonymous is null without asking accounts", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(MyOrdersDocument, { first: 5 }, testContext({ sources }));
    expect(answer).toEqual({ data: { me: null }, errors: undefined });
    expect(asked.calls).toEqual([]);
  });

  test("MyOrders: the viewer's user and their orders at once (look-ahead: the token gives the id), then every order's products in one wave", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(MyOrdersDocument, { first: 2 }, testContext({ sources, viewer: customer("u-0001") }));
    expect(answer.errors).toBeUndefined();
    const me = answer.data?.me;
    expect(me).toMatchObject({
      id: "u-0001",
      email: "ada@example.com",
      orders: { pageInfo: { hasNextPage: false, endCursor: null } },
    });
    expect(me?.orders?.nodes.map((o) => [o.id, o.items.map((i) => [i.product?.name, i.unitPrice.formatted])])).toEqual([
      ["o-000001", [["Kettle", "$24.99"]]],
      ["o-000002", [["Rake", "€5.00"]]],
    ]);
    expect(asked.waves()).toEqual([
      ["accounts.findUser u-0001", 'orders.listOrders {"limit":2,"userId":"u-0001"}'],
      ["catalog.findProduct p-0001", "catalog.findProduct p-0002"],
    ]);
  });

  test("CustomerDetail (admin): another user and their orders at once (look-ahead), then each order's payment in one wave", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      CustomerDetailDocument,
      { id: "u-0001" },
      testContext({ sources, viewer: admin("u-0002") }),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.user).toMatchObject({
      id: "u-0001",
      role: "CUSTOMER",
      orders: { nodes: [{ payment: { status: "SUCCEEDED" } }, { payment: { status: "REFUNDED" } }] },
    });
    expect(asked.waves()).toEqual([
      ["accounts.findUser u-0001", 'orders.listOrders {"limit":20,"userId":"u-0001"}'],
      ["payments.findPayment pay-000001", "payments.findPayment pay-000002"],
    ]);
  });

  test("user(id): a customer may read themself; another user is FORBIDDEN before accounts is asked", async () => {
    const { sources, asked } = fakeSources(world);
    expect(
      (await execute(USER, { id: "u-0001" }, testContext({ sources, viewer: customer("u-0001") }))).data?.user?.email,
    ).toBe("ada@example.com");
    const other = await execute(USER, { id: "u-0002" }, testContext({ sources, viewer: customer("u-0001") }));
    expect(other.data?.user).toBeNull();
    expect(codes(other)).toEqual([["FORBIDDEN", "user"]]);
    expect(asked.calls).toEqual(["accounts.findUser u-0001"]); // no orders selected: none started
  });

  test("a bad cursor starts nothing early: the orders field reports it at its own path", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      MyOrdersDocument,
      { first: 2, after: "not-a-cursor" },
      testContext({ sources, viewer: customer("u-0001") }),
    );
    expect(answer.data?.me).toMatchObject({ id: "u-0001", orders: null });
    expect(codes(answer)).toEqual([["BAD_USER_INPUT", "me.orders"]]);
    expect(asked.calls).toEqual(["accounts.findUser u-0001"]);
  });

  test("a forbidden user(id) starts nothing early: authorization runs before the look-ahead", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      CustomerDetailDocument,
      { id: "u-0002" },
      testContext({ sources, viewer: customer() }),
    );
    expect(codes(answer)).toEqual([["FORBIDDEN", "user"]]);
    expect(asked.calls).toEqual([]);
  });

  test("an admin reads anyone's role; an unknown user is null", async () => {
    const { sources } = fakeSources(world);
    expect((await execute(USER, { id: "u-0002" }, testContext({ sources, viewer: admin() }))).data?.user).toEqual({
      id: "u-0002",
      email: "grace@example.com",
      role: "ADMIN",
    });
    expect(await execute(USER, { id: "u-0404" }, testContext({ sources, viewer: admin() }))).toEqual({
      data: { user: null },
      errors: undefined,
    });
  });
});
