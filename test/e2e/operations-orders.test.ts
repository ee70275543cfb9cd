import {
  CustomerDetailDocument,
  DashboardOverviewDocument,
  MyOrdersDocument,
} from "../../operations/generated/graphql";
import { adminToken, token } from "../support/tokens";
import { ordersOf, productById, usd, userById } from "../support/expected";
import { startStack, type Stack } from "../support/stack";

describe("contract operations answer with what the upstreams hold", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  const data = () => stack.upstreams.data;

  test("MyOrders: the caller's orders, newest first", async () => {
    const userId = "u-0003";
    const orders = ordersOf(data(), userId);
    expect(orders.length).toBeGreaterThan(1);
    const res = await stack.post(MyOrdersDocument, { first: 2 }, { token: await token(userId) });
    expect(res.body.errors).toBeUndefined();
    const me = res.body.data?.me;
    if (!me?.orders) throw new Error("no orders of me");
    expect(me).toMatchObject({
      id: userId,
      name: userById(data(), userId)?.name,
      email: userById(data(), userId)?.email,
    });
    expect(me.orders.nodes).toEqual(
      orders.slice(0, 2).map((o) => ({
        id: o.id,
        status: o.status.toUpperCase(),
        createdAt: o.createdAt,
        total: { amount: o.totalCents, currency: "USD", formatted: usd(o.totalCents) },
        items: o.items.map((i) => ({
          quantity: i.quantity,
          unitPrice: { formatted: usd(i.unitPriceCents) },
          product: {
            id: i.productId,
            name: productById(data(), i.productId)?.name,
            imageUrl: productById(data(), i.productId)?.imageUrl ?? null,
          },
        })),
      })),
    );
    expect(me.orders.pageInfo.hasNextPage).toBe(orders.length > 2);
    const next = await stack.post(
      MyOrdersDocument,
      { first: 100, after: me.orders.pageInfo.endCursor },
      { token: await token(userId) },
    );
    expect(next.body.data?.me?.orders?.nodes.map((o) => o.id)).toEqual(orders.slice(2).map((o) => o.id));
  });

  test("MyOrders for an anonymous caller: me is null", async () => {
    const res = await stack.post(MyOrdersDocument, { first: 5 });
    expect(res.body.data).toEqual({ me: null });
    expect(res.body.errors).toBeUndefined();
  });

  test("CustomerDetail: an admin reads a customer with orders and payments", async () => {
    const userId = "u-0007";
    const res = await stack.post(CustomerDetailDocument, { id: userId }, { token: await adminToken() });
    expect(res.body.errors).toBeUndefined();
    const user = userById(data(), userId);
    expect(res.body.data?.user).toMatchObject({ id: userId, name: user?.name, email: user?.email, role: "CUSTOMER" });
    expect(res.body.data?.user?.orders?.nodes).toEqual(
      ordersOf(data(), userId)
        .slice(0, 20)
        .map((o) => ({
          id: o.id,
          status: o.status.toUpperCase(),
          createdAt: o.createdAt,
          total: { formatted: usd(o.totalCents) },
          payment: o.paymentId
            ? {
                status: data()
                  .payments.find((p) => p.id === o.paymentId)
                  ?.status.toUpperCase(),
              }
            : null,
        })),
    );
  });

  test("DashboardOverview: recent orders by status and low stock, lowest first", async () => {
    const res = await stack.post(
      DashboardOverviewDocument,
      { first: 10, status: "PAID" },
      { token: await adminToken() },
    );
    expect(res.body.errors).toBeUndefined();
    const orders = ordersOf(data(), undefined, "paid").slice(0, 10);
    expect(res.body.data?.orders?.nodes.map((o) => [o.id, o.status, o.customer?.email])).toEqual(
      orders.map((o) => [o.id, "PAID", userById(data(), o.userId)?.email]),
    );
    const low = [...data().stock]
      .filter((s) => s.onHand <= 5)
      .sort((a, b) => a.onHand - b.onHand || a.productId.localeCompare(b.productId))
      .slice(0, 20);
    expect(res.body.data?.lowStock).toEqual(
      low.map((s) => ({
        id: s.productId,
        sku: productById(data(), s.productId)?.sku,
        name: productById(data(), s.productId)?.name,
        stock: { available: s.onHand },
      })),
    );
  });
});
