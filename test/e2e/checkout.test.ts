import { CheckoutDocument } from "../../operations/generated/graphql";
import { checkoutSaga, NOTHING_LEFT } from "../support/checkout-saga";
import { stockOf } from "../support/expected";
import { NO_CALLS } from "../support/services";
import { startStack, type Stack } from "../support/stack";

describe("checkout saga", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  afterEach(() => stack.upstreams.reset());
  const { fresh, checkout, sideEffects } = checkoutSaga(() => stack);

  test("success: one order, paid, stock taken", async () => {
    const { user, key } = fresh();
    const before = stockOf(stack.upstreams.data, "p-0500") as number;
    const res = await checkout(user, key, [{ productId: "p-0500", quantity: 3 }]);
    expect(res.body.data?.checkout.order).toMatchObject({ status: "PAID", payment: { status: "SUCCEEDED" } });
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
    expect(stockOf(stack.upstreams.data, "p-0500")).toBe(before - 3);
  });

  test("the same key twice makes one order and one charge, and returns the same order", async () => {
    const { user, key } = fresh();
    const first = await checkout(user, key, [{ productId: "p-0501", quantity: 1 }]);
    const again = await checkout(user, key, [{ productId: "p-0501", quantity: 1 }]);
    expect(again.body.data?.checkout.order?.id).toBe(first.body.data?.checkout.order?.id);
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
  });

  test("the same key sent concurrently makes one order and one charge", async () => {
    const { user, key } = fresh();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => checkout(user, key, [{ productId: "p-0502", quantity: 1 }])),
    );
    const ids = new Set(results.map((r) => r.body.data?.checkout.order?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.stringMatching(/^o-/));
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
  });

  test("another user's same key is another checkout", async () => {
    const a = fresh();
    const b = fresh();
    const first = await checkout(a.user, "shared-key", [{ productId: "p-0503", quantity: 1 }]);
    const second = await checkout(b.user, "shared-key", [{ productId: "p-0503", quantity: 1 }]);
    expect(second.body.data?.checkout.order?.id).not.toBe(first.body.data?.checkout.order?.id);
  });

  test("invalid input is a user error and calls nothing", async () => {
    const { user, key } = fresh();
    const res = await checkout(user, key, [{ productId: "p-0504", quantity: 0 }]);
    expect(res.body.data?.checkout).toEqual({
      order: null,
      userErrors: [{ code: "INVALID_INPUT", message: expect.any(String), field: ["items", "0", "quantity"] }],
    });
    expect(stack.upstreams.callCounts()).toEqual(NO_CALLS);
  });

  test("an unknown product is PRODUCT_NOT_FOUND", async () => {
    const { user, key } = fresh();
    const res = await checkout(user, key, [
      { productId: "p-0505", quantity: 1 },
      { productId: "p-9999", quantity: 1 },
    ]);
    expect(res.body.data?.checkout.userErrors).toEqual([
      { code: "PRODUCT_NOT_FOUND", message: expect.any(String), field: ["items", "1", "productId"] },
    ]);
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);
  });

  test("out of stock: OUT_OF_STOCK, and the other lines' holds are released", async () => {
    const { user, key } = fresh();
    const scarce = stack.upstreams.data.stock.find((s) => s.onHand <= 2) as { productId: string; onHand: number };
    const res = await checkout(user, key, [
      { productId: "p-0506", quantity: 1 },
      { productId: scarce.productId, quantity: scarce.onHand + 1 },
    ]);
    expect(res.body.data?.checkout).toEqual({
      order: null,
      userErrors: [{ code: "OUT_OF_STOCK", message: expect.any(String), field: ["items", "1", "quantity"] }],
    });
    expect(stack.upstreams.inventory.reservations.size).toBeGreaterThan(0);
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);
  });

  test("anonymous callers cannot check out", async () => {
    const res = await stack.post(CheckoutDocument, {
      input: { items: [{ productId: "p-0512", quantity: 1 }], idempotencyKey: "anon", paymentMethod: "pm_card_visa" },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(stack.upstreams.callCounts().inventory).toBe(0);
  });
});
