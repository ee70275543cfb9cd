import { checkoutMachine, request } from "../../support/checkout-machine";

describe("the checkout state machine: forward and refusals (fake datasources, in-memory journal)", () => {
  const { state, run, stateOf, trail } = checkoutMachine();

  test("forward: RECEIVED → PRICED → INVENTORY_RESERVED → PAYMENT_CHARGED → ORDER_CREATED → ORDER_PAID → STOCK_COMMITTED → COMPLETED, with deterministic keys", async () => {
    const { world, answer } = run();
    expect(await answer).toMatchObject({ kind: "order", order: { id: "o-1", status: "paid" } });
    expect(world.calls).toEqual([
      "reserve p-1 x2 [u-1:k1:reserve:p-1]",
      "reserve p-2 x1 [u-1:k1:reserve:p-2]",
      "charge 3000 u-1:k1 [u-1:k1:charge]",
      "create_order [u-1:k1:order]",
      "set_status o-1 paid",
      "commit res-p-1",
      "commit res-p-2",
    ]);
    expect(await trail()).toEqual([
      "received SUCCEEDED",
      "price SUCCEEDED",
      "reserve(p-1) STARTED",
      "reserve(p-2) STARTED",
      "reserve(p-1) SUCCEEDED",
      "reserve(p-2) SUCCEEDED",
      "reserved SUCCEEDED",
      "charge STARTED",
      "charge SUCCEEDED",
      "charged SUCCEEDED",
      "create_order STARTED",
      "create_order SUCCEEDED",
      "mark_paid STARTED",
      "mark_paid SUCCEEDED",
      "commit(p-1) STARTED",
      "commit(p-2) STARTED",
      "commit(p-1) SUCCEEDED",
      "commit(p-2) SUCCEEDED",
      "committed SUCCEEDED",
      "complete SUCCEEDED",
    ]);
    expect(await stateOf()).toBe("COMPLETED");

    const again = run();
    expect(await again.answer).toMatchObject({ kind: "order", order: { id: "o-1" } });
    expect(again.world.calls).toEqual([]); // the recorded outcome, nothing called
  });

  test("invalid input is a problem before anything is journaled", async () => {
    const { world, answer } = run({}, request({ items: [] }));
    expect(await answer).toMatchObject({ kind: "problems", problems: [{ code: "INVALID_INPUT", field: ["items"] }] });
    expect(world.calls).toEqual([]);
    expect(await state.journal.get("u-1:k1")).toBeNull();
  });

  test("an unknown product ends FAILED at pricing, nothing written upstream", async () => {
    const { world, answer } = run({}, request({ items: [{ productId: "missing-1", quantity: 1 }] }));
    expect(await answer).toMatchObject({
      kind: "problems",
      problems: [{ code: "PRODUCT_NOT_FOUND", field: ["items", "0", "productId"] }],
    });
    expect(world.calls).toEqual([]);
    expect(await stateOf()).toBe("FAILED");
  });

  test("out of stock on one line: the other hold is released, FAILED with OUT_OF_STOCK, no charge", async () => {
    const { world, answer } = run({ reserve: [undefined, { outcome: "out_of_stock" }] });
    expect(await answer).toMatchObject({
      kind: "problems",
      problems: [{ code: "OUT_OF_STOCK", field: ["items", "1", "quantity"] }],
    });
    expect(world.calls.filter((c) => !c.startsWith("reserve"))).toEqual(["release res-p-1"]);
    expect(await stateOf()).toBe("FAILED");
  });

  test("a product inventory does not know: PRODUCT_NOT_FOUND", async () => {
    const { answer } = run(
      { reserve: [{ outcome: "unknown_product" }] },
      request({ items: [{ productId: "p-1", quantity: 1 }] }),
    );
    expect(await answer).toMatchObject({ kind: "problems", problems: [{ code: "PRODUCT_NOT_FOUND" }] });
  });

  test("declined: holds released, FAILED with PAYMENT_DECLINED; the same key answers the same without a call", async () => {
    const declined = {
      outcome: "declined" as const,
      payment: { id: "pay-9", status: "declined" as const, amount: { amount: 3000, currency: "USD" } },
    };
    const { world, answer } = run({ charge: [declined] });
    expect(await answer).toMatchObject({
      kind: "problems",
      problems: [{ code: "PAYMENT_DECLINED", field: ["paymentMethod"] }],
    });
    expect(world.calls.slice(3)).toEqual(["release res-p-1", "release res-p-2"]);
    const again = run();
    expect(await again.answer).toMatchObject({ kind: "problems", problems: [{ code: "PAYMENT_DECLINED" }] });
    expect(again.world.calls).toEqual([]);
  });

  test("a payment method payments refuses: INVALID_INPUT on paymentMethod", async () => {
    const { answer } = run({ charge: [{ outcome: "refused", code: "INVALID_PAYMENT_METHOD" }] });
    expect(await answer).toMatchObject({
      kind: "problems",
      problems: [{ code: "INVALID_INPUT", field: ["paymentMethod"] }],
    });
  });
});
