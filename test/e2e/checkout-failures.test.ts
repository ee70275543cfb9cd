import { CheckoutDocument } from "../../operations/generated/graphql";
import { checkoutSaga, errorCode, NOTHING_LEFT } from "../support/checkout-saga";
import { stockOf } from "../support/expected";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

describe("checkout saga when an upstream fails", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  afterEach(() => stack.upstreams.reset());
  const { fresh, checkout, sideEffects } = checkoutSaga(() => stack);

  test("reservation gets no answer (inventory down): nothing held or charged; it waits, then a retry finds it cancelled", async () => {
    const { user, key } = fresh();
    stack.upstreams.services.inventory.setFaults({ mode: "down", only: "^/reservations" });
    const res = await checkout(user, key, [{ productId: "p-0507", quantity: 1 }]);
    expect(errorCode(res)).toEqual(["CHECKOUT_IN_PROGRESS:inventory"]);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ retryable: true, reason: "upstream_unavailable" });
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);

    // The hold in doubt is settled by replaying its key, then released: the checkout ends CANCELLED.
    stack.upstreams.services.inventory.setFaults({ mode: "ok", only: null });
    for (const _ of [1, 2]) {
      const retried = await checkout(user, key, [{ productId: "p-0507", quantity: 1 }]);
      expect(errorCode(retried)).toEqual(["CHECKOUT_CANCELLED:inventory"]);
      expect(retried.body.errors?.[0]?.extensions).toMatchObject({ retryable: false, reason: "upstream_unavailable" });
    }
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);
  });

  test("payment declined: PAYMENT_DECLINED, holds released, no order; the same key answers the same, a new key may succeed", async () => {
    const { user, key } = fresh();
    const declined = await checkout(user, key, [{ productId: "p-0508", quantity: 1 }], "pm_card_declined");
    expect(declined.body.data?.checkout).toEqual({
      order: null,
      userErrors: [{ code: "PAYMENT_DECLINED", message: expect.any(String), field: ["paymentMethod"] }],
    });
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["declined"], orders: [] });

    const again = await checkout(user, key, [{ productId: "p-0508", quantity: 1 }], "pm_card_visa");
    expect(again.body.data).toEqual(declined.body.data);
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["declined"], orders: [] });

    const fresher = await checkout(user, `${key}-b`, [{ productId: "p-0508", quantity: 1 }], "pm_card_visa");
    expect(fresher.body.data?.checkout.order?.status).toBe("PAID");
  });

  test("payment service down: nothing charged, the holds wait; the retry after payments recovers charges once and completes", async () => {
    const { user, key } = fresh();
    stack.upstreams.services.payments.setFaults({ mode: "down" });
    const res = await checkout(user, key, [{ productId: "p-0509", quantity: 1 }]);
    expect(errorCode(res)).toEqual(["CHECKOUT_IN_PROGRESS:payments"]);
    expect(sideEffects(user, key)).toEqual({ held: 1, payments: [], orders: [] });

    stack.upstreams.services.payments.setFaults({ mode: "ok" });
    const retried = await checkout(user, key, [{ productId: "p-0509", quantity: 1 }]);
    expect(retried.body.data?.checkout.order?.status).toBe("PAID");
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
    const keys = stack.upstreams.services.payments.calls.map((c) => c.headers["idempotency-key"]).filter(Boolean);
    expect(new Set(keys)).toEqual(new Set([`${user}:${key}:charge`]));
  });

  test("order service down after the charge: the checkout goes forward, not back; the retry completes it with one order and one charge", async () => {
    const { user, key } = fresh();
    stack.upstreams.services.orders.setFaults({ mode: "down" });
    const res = await checkout(user, key, [{ productId: "p-0510", quantity: 2 }]);
    expect(errorCode(res)).toEqual(["CHECKOUT_IN_PROGRESS:orders"]);
    expect(sideEffects(user, key)).toEqual({ held: 1, payments: ["succeeded"], orders: [] });

    stack.upstreams.services.orders.setFaults({ mode: "ok" });
    const retried = await checkout(user, key, [{ productId: "p-0510", quantity: 2 }]);
    expect(retried.body.data?.checkout.order?.status).toBe("PAID");
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
  });

  test("commit fails after the order is paid: the answer is still the paid order; the commit is retried and takes the stock once", async () => {
    const { user, key } = fresh();
    const before = stockOf(stack.upstreams.data, "p-0511") as number;
    stack.upstreams.services.inventory.setFaults({ mode: "down", only: "/commit$" });
    const res = await checkout(user, key, [{ productId: "p-0511", quantity: 1 }]);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.checkout.order).toMatchObject({ status: "PAID", payment: { status: "SUCCEEDED" } });
    expect(sideEffects(user, key)).toEqual({ held: 1, payments: ["succeeded"], orders: ["paid"] });
    expect(stockOf(stack.upstreams.data, "p-0511")).toBe(before);

    stack.upstreams.services.inventory.setFaults({ mode: "ok", only: null });
    const retried = await checkout(user, key, [{ productId: "p-0511", quantity: 1 }]);
    expect(retried.body.data?.checkout.order?.id).toBe(res.body.data?.checkout.order?.id);
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
    expect(stockOf(stack.upstreams.data, "p-0511")).toBe(before - 1);
    expect((await stack.server.checkout.journal.get(`${user}:${key}`))?.state).toBe("COMPLETED");
  });
});

describe("checkout when the request's deadline runs out", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { REQUEST_DEADLINE_MS: "400", PAYMENTS_TIMEOUT_MS: "60000" } });
  });
  afterAll(() => stack.close());

  test("a hanging payment service: the charge is in doubt, the checkout waits; a retry replays the same charge key", async () => {
    stack.upstreams.services.payments.setFaults({ mode: "hang" });
    const input = {
      items: [{ productId: "p-0520", quantity: 1 }],
      idempotencyKey: "deadline-1",
      paymentMethod: "pm_card_visa",
    };
    const res = await stack.post(CheckoutDocument, { input }, { token: await token("u-0190") });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: "CHECKOUT_IN_PROGRESS",
      reason: "upstream_timeout",
      service: "payments",
    });
    expect(stack.upstreams.inventory.held()).toHaveLength(1);

    stack.upstreams.services.payments.setFaults({ mode: "ok" });
    const retried = await stack.post(CheckoutDocument, { input }, { token: await token("u-0190") });
    expect(retried.body.data?.checkout.order?.status).toBe("PAID");
    const keys = stack.upstreams.services.payments.calls.map((c) => c.headers["idempotency-key"]).filter(Boolean);
    expect(new Set(keys).size).toBe(1); // the charge that got no answer and its retry used one key
  });
});
