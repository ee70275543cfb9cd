import { CheckoutDocument } from "../../operations/generated/graphql";
import { Webhook } from "standardwebhooks";
import { startStack, TEST_PAYMENTS_WEBHOOK_SECRET, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";

const AUDIT = `query Audit($id: ID!) { checkout(id: $id) { id idempotencyKey state createdAt updatedAt customer { id } order { id status }
  steps { name status at line idempotencyKey upstreamIds detail actor } } }`;
/** AUDIT's result (an admin-only query: no generated document, typed here). */
interface Audit {
  checkout: {
    id: string;
    idempotencyKey: string;
    state: string;
    createdAt: string;
    updatedAt: string;
    customer: { id: string } | null;
    order: { id: string; status: string } | null;
    steps: Array<{
      name: string;
      status: string;
      at: string;
      line: string | null;
      idempotencyKey: string | null;
      upstreamIds: string[];
      detail: string | null;
      actor: string;
    }>;
  } | null;
}

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

describe("the checkout audit trail (admins, GraphQL)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("an admin reads each step of a checkout: name, status, time, keys and upstream ids", async () => {
    await stack.post(
      CheckoutDocument,
      {
        input: {
          items: [{ productId: "p-0810", quantity: 1 }],
          idempotencyKey: "audited",
          paymentMethod: "pm_card_visa",
        },
      },
      { token: await token("u-0180") },
    );
    const res = await stack.gql<Audit>(AUDIT, { id: "u-0180:audited" }, { token: await adminToken() });
    expect(res.body.errors).toBeUndefined();
    const audited = res.body.data?.checkout;
    expect(audited).toMatchObject({
      id: "u-0180:audited",
      idempotencyKey: "audited",
      state: "COMPLETED",
      customer: { id: "u-0180" },
      order: { status: "PAID" },
    });
    const steps = audited?.steps ?? [];
    expect(steps.map((s) => `${s.name} ${s.status}`)).toEqual([
      "received SUCCEEDED",
      "price SUCCEEDED",
      "reserve STARTED",
      "reserve SUCCEEDED",
      "reserved SUCCEEDED",
      "charge STARTED",
      "charge SUCCEEDED",
      "charged SUCCEEDED",
      "create_order STARTED",
      "create_order SUCCEEDED",
      "mark_paid STARTED",
      "mark_paid SUCCEEDED",
      "commit STARTED",
      "commit SUCCEEDED",
      "committed SUCCEEDED",
      "complete SUCCEEDED",
    ]);
    expect(steps.find((s) => s.name === "charge" && s.status === "STARTED")).toMatchObject({
      idempotencyKey: "u-0180:audited:charge",
      at: expect.stringMatching(/Z$/),
    });
    expect(steps.find((s) => s.name === "create_order" && s.status === "SUCCEEDED")?.upstreamIds).toEqual([
      audited?.order?.id,
    ]);
    expect(steps.find((s) => s.name === "reserve" && s.status === "SUCCEEDED")).toMatchObject({
      line: "p-0810",
      upstreamIds: [expect.stringMatching(/^res-/)],
    });

    const list = await stack.gql<{ checkouts: Array<{ id: string; state: string }> | null }>(
      "{ checkouts(state: COMPLETED, first: 5) { id state } }",
      {},
      { token: await adminToken() },
    );
    expect(list.body.data?.checkouts).toEqual([{ id: "u-0180:audited", state: "COMPLETED" }]);
  });

  test("customers may not read the audit trail, not even their own", async () => {
    const res = await stack.gql<Audit>(AUDIT, { id: "u-0180:audited" }, { token: await token("u-0180") });
    expect(res.body.data?.checkout).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  test("an unknown checkout is null; first out of range is BAD_USER_INPUT", async () => {
    expect(
      (await stack.gql<Audit>(AUDIT, { id: "nobody:nothing" }, { token: await adminToken() })).body.data?.checkout,
    ).toBeNull();
    const res = await stack.gql<{ checkouts: Array<{ id: string }> | null }>(
      "{ checkouts(first: 500) { id } }",
      {},
      { token: await adminToken() },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
