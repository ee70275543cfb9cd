import { CheckoutDocument } from "../../operations/generated/graphql";
import { Webhook } from "standardwebhooks";
import { startStack, TEST_PAYMENTS_WEBHOOK_SECRET, type Stack } from "../support/stack";
import { token } from "../support/tokens";

describe("payment webhooks close the loop on charges whose answer was lost", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ webhooks: true });
  });
  afterAll(() => stack.close());
  afterEach(async () => {
    await stack.upstreams.webhooks.idle();
    stack.upstreams.reset();
  });

  const checkout = async (user: string, key: string, paymentMethod = "pm_card_visa") =>
    stack.post(
      CheckoutDocument,
      { input: { items: [{ productId: "p-0800", quantity: 1 }], idempotencyKey: key, paymentMethod } },
      { token: await token(user) },
    );
  const post = (id: string, body: string, options: { secret?: string; at?: Date } = {}) => {
    const at = options.at ?? new Date();
    return fetch(`${stack.url}/webhooks/payments`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(options.secret ?? TEST_PAYMENTS_WEBHOOK_SECRET).sign(id, at, body),
      },
      body,
    });
  };

  test("payment.succeeded (signed) moves a checkout whose charge answer was lost on to a paid order; the retry answers it", async () => {
    stack.upstreams.services.payments.setFaults({ mode: "drop", only: "^/payments$" }); // charged, but the answer never arrives
    const res = await checkout("u-0170", "lost-answer");
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: "CHECKOUT_IN_PROGRESS", service: "payments" });
    await stack.upstreams.webhooks.idle();
    stack.upstreams.services.payments.setFaults({ mode: "ok", only: null });

    const record = await stack.server.checkout.journal.get("u-0170:lost-answer");
    expect(record?.state).toBe("COMPLETED");
    const payments = stack.upstreams.data.payments.filter((p) => p.reference === "u-0170:lost-answer");
    expect(payments.map((p) => p.status)).toEqual(["succeeded"]);
    expect(stack.upstreams.webhooks.deliveries.map((d) => [d.type, d.attempts.at(-1)])).toEqual([
      ["payment.succeeded", 200],
    ]);

    const retried = await checkout("u-0170", "lost-answer");
    expect(retried.body.data?.checkout.order).toMatchObject({
      id: record?.data.order?.id,
      status: "PAID",
      payment: { id: payments[0]?.id },
    });
    expect(stack.upstreams.data.payments.filter((p) => p.reference === "u-0170:lost-answer")).toHaveLength(1);
  });

  test("payment.declined (signed) ends a checkout in doubt: holds released, PAYMENT_DECLINED", async () => {
    stack.upstreams.services.payments.setFaults({ mode: "drop", only: "^/payments$" });
    await checkout("u-0171", "lost-decline", "pm_card_declined");
    await stack.upstreams.webhooks.idle();
    stack.upstreams.services.payments.setFaults({ mode: "ok", only: null });
    expect((await stack.server.checkout.journal.get("u-0171:lost-decline"))?.state).toBe("FAILED");
    expect(stack.upstreams.inventory.held()).toEqual([]);
    const retried = await checkout("u-0171", "lost-decline");
    expect(retried.body.data?.checkout.userErrors).toEqual([expect.objectContaining({ code: "PAYMENT_DECLINED" })]);
  });

  test("forged, stale and replayed messages are refused and change nothing", async () => {
    stack.upstreams.services.payments.setFaults({ mode: "drop", only: "^/payments$" }); // the charge stays in doubt
    stack.upstreams.webhooks.setTarget(null); // and payments' own notification never comes
    const res = await stack.post(
      CheckoutDocument,
      {
        input: {
          items: [{ productId: "p-0801", quantity: 1 }],
          idempotencyKey: "doubt",
          paymentMethod: "pm_card_visa",
        },
      },
      { token: await token("u-0172") },
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: "CHECKOUT_IN_PROGRESS", service: "payments" });
    stack.upstreams.services.payments.setFaults({ mode: "ok", only: null });
    const id = "u-0172:doubt";
    const steps = async () => (await stack.server.checkout.journal.steps(id)).length;
    const before = { state: (await stack.server.checkout.journal.get(id))?.state, steps: await steps() };
    expect(before.state).toBe("INVENTORY_RESERVED");
    const body = JSON.stringify({
      type: "payment.succeeded",
      timestamp: new Date().toISOString(),
      data: { id: "pay-999999", reference: id },
    });

    const forged = await post("msg_forged", body, {
      secret: `whsec_${Buffer.from("not-the-payments-secret").toString("base64")}`,
    });
    const stale = await post("msg_stale", body, { at: new Date(Date.now() - 6 * 60_000) });
    const malformed = await post("msg_malformed", JSON.stringify({ type: "payment.succeeded", data: { id: 7 } }));
    expect([forged.status, stale.status, malformed.status]).toEqual([401, 401, 400]);
    expect({ state: (await stack.server.checkout.journal.get(id))?.state, steps: await steps() }).toEqual(before);

    const accepted = await post("msg_once", body);
    const afterFirst = await stack.server.checkout.journal.get(id);
    const replayed = await post("msg_once", body);
    expect([accepted.status, replayed.status, await replayed.json()]).toEqual([200, 200, { status: "duplicate" }]);
    expect(afterFirst?.data.payment).toEqual({ id: "pay-999999", status: "succeeded" });
    expect((await stack.server.checkout.journal.get(id))?.updatedAt).toBe(afterFirst?.updatedAt);
  });
});
