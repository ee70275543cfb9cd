import pino from "pino";
import { SqliteJournal } from "../../../checkout/journal/sqlite-journal";
import type { CheckoutRequest } from "../../../checkout/model";
import { CheckoutService } from "../../../checkout/service";
import { fakeCheckoutSources, noAnswer, type Script } from "../../support/fake-checkout-sources";

const log = pino({ level: "silent" });
const request = (overrides: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
  items: [
    { productId: "p-1", quantity: 2 },
    { productId: "p-2", quantity: 1 },
  ],
  idempotencyKey: "k1",
  paymentMethod: "pm_card_visa",
  ...overrides,
});

describe("the checkout state machine (fake datasources, in-memory journal)", () => {
  let journal: SqliteJournal;
  let clock: number;
  const service = (options: { abandonAfterMs?: number; waitMs?: number; owner?: string } = {}) =>
    new CheckoutService({
      journal,
      owner: options.owner ?? "test",
      leaseMs: 30_000,
      abandonAfterMs: options.abandonAfterMs ?? 300_000,
      now: () => clock,
      onBoundary: () => undefined,
      waitMs: options.waitMs ?? 0,
      recoveryAfterMs: 0,
      recoveryBatch: 10,
      log,
    });
  beforeEach(() => {
    journal = new SqliteJournal(":memory:");
    clock = 1_000_000;
  });
  afterEach(() => journal.close());

  const run = (script: Script = {}, req = request(), svc = service()) => {
    const world = fakeCheckoutSources(script);
    return { world, answer: svc.checkout("u-1", req, world.sources, world.sources, log) };
  };
  const stateOf = async (id = "u-1:k1") => (await journal.get(id))?.state;
  const trail = async (id = "u-1:k1") =>
    (await journal.steps(id)).map((s) => `${s.name}${s.line ? `(${s.line})` : ""} ${s.status}`);
  const recover = (script: Script = {}, svc = service()) => {
    const world = fakeCheckoutSources(script);
    return { world, report: svc.recover(() => ({ sources: world.sources, undo: world.sources })) };
  };

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
    expect(await journal.get("u-1:k1")).toBeNull();
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

  test("a reservation without an answer: turned back, the hold in doubt replayed with its key and released; CANCELLED", async () => {
    const { world, answer } = run({ reserve: [undefined, noAnswer("inventory")] });
    expect(await answer).toEqual({ kind: "cancelled", cause: { reason: "upstream_timeout", service: "inventory" } });
    expect(world.calls.slice(2).sort()).toEqual([
      "release res-p-1",
      "release res-p-2",
      "reserve p-2 x1 [u-1:k1:reserve:p-2]",
    ]);
    expect(await stateOf()).toBe("CANCELLED");
  });

  test("a charge without an answer waits (in_progress); recovery replays the same key and goes forward", async () => {
    const { answer } = run({ charge: [noAnswer("payments")] });
    expect(await answer).toEqual({ kind: "in_progress", cause: { reason: "upstream_timeout", service: "payments" } });
    expect(await stateOf()).toBe("INVENTORY_RESERVED");
    const { world, report } = recover();
    expect(await report).toEqual({ claimed: 1, finished: 1, waiting: 0 });
    expect(world.calls[0]).toBe("charge 3000 u-1:k1 [u-1:k1:charge]");
    expect(await stateOf()).toBe("COMPLETED");
  });

  test("recovery turns back a checkout interrupted before its charge intent: holds released, CANCELLED (interrupted)", async () => {
    const write = journal.write.bind(journal);
    journal.write = async (id, owner, w, now, leaseMs) => {
      if (w.step.name === "charge") throw new Error("process died");
      return write(id, owner, w, now, leaseMs);
    };
    expect(await run().answer).toEqual({ kind: "in_progress", cause: { reason: "internal" } });
    journal.write = write;
    expect(await stateOf()).toBe("INVENTORY_RESERVED");
    const { world, report } = recover();
    await report;
    expect(world.calls).toEqual(["release res-p-1", "release res-p-2"]);
    expect(await stateOf()).toBe("CANCELLED");
    expect((await journal.get("u-1:k1"))?.data.ending).toEqual({ kind: "cancelled", cause: { reason: "interrupted" } });
  });

  test("a charge call that dies after its intent is journaled: recovery replays the same key and goes forward", async () => {
    const crashing = service();
    const world = fakeCheckoutSources();
    const original = world.sources.payments.charge;
    world.sources.payments.charge = async () => {
      throw new Error("process died");
    };
    await crashing.checkout("u-1", request(), world.sources, world.sources, log).catch(() => undefined);
    world.sources.payments.charge = original;
    const journalled = await journal.get("u-1:k1");
    expect(journalled?.state).toBe("INVENTORY_RESERVED");
    const { world: after, report } = recover();
    await report;
    // the charge intent was written before the call died, so recovery replays it and goes forward
    expect(after.calls[0]).toBe("charge 3000 u-1:k1 [u-1:k1:charge]");
    expect(await stateOf()).toBe("COMPLETED");
  });

  test("orders refuses the order: refund and release, CANCELLED", async () => {
    const { world, answer } = run({ createOrder: [{ outcome: "refused", code: "INVALID_BODY" }] });
    expect(await answer).toEqual({ kind: "cancelled", cause: { reason: "upstream_refused", service: "orders" } });
    expect(world.calls.slice(4)).toEqual(["refund pay-1", "release res-p-1", "release res-p-2"]);
  });

  test("orders unreachable: the charged checkout waits; once abandoned, the order is cancelled, the payment refunded, the holds released", async () => {
    const { answer } = run({ setStatus: [noAnswer("orders")] });
    expect(await answer).toEqual({ kind: "in_progress", cause: { reason: "upstream_timeout", service: "orders" } });
    expect(await stateOf()).toBe("ORDER_CREATED");
    clock += 301_000;
    const { world, report } = recover();
    await report;
    expect(world.calls).toEqual(["set_status o-1 cancelled", "refund pay-1", "release res-p-1", "release res-p-2"]);
    expect(await stateOf()).toBe("CANCELLED");
    expect((await journal.get("u-1:k1"))?.data.ending).toEqual({ kind: "cancelled", cause: { reason: "abandoned" } });
  });

  test("success stays success: a commit without an answer still answers the paid order; recovery commits later", async () => {
    const { answer } = run({ commit: [noAnswer("inventory")] });
    expect(await answer).toMatchObject({ kind: "order", order: { status: "paid" } });
    expect(await stateOf()).toBe("ORDER_PAID");
    const { world, report } = recover();
    await report;
    expect(world.calls).toEqual(["commit res-p-1"]); // p-2 was committed already
    expect(await stateOf()).toBe("COMPLETED");
  });

  test("success stays success: the journal failing after the order is paid does not turn the answer into an error", async () => {
    const write = journal.write.bind(journal);
    let paid = false;
    journal.write = async (id, owner, w, now, leaseMs) => {
      if (paid) throw new Error("database gone");
      if (w.state === "ORDER_PAID") paid = true;
      return write(id, owner, w, now, leaseMs);
    };
    const { answer } = run();
    expect(await answer).toMatchObject({ kind: "order", order: { id: "o-1", status: "paid" } });
  });

  test("a call while another holds the checkout answers in_progress", async () => {
    await journal.open(
      { id: "u-1:k1", userId: "u-1", idempotencyKey: "k1", data: { lines: [], paymentMethod: "x", reservations: [] } },
      clock,
    );
    await journal.lease("u-1:k1", "other/1", clock, 30_000);
    const { world, answer } = run();
    expect(await answer).toEqual({ kind: "in_progress", cause: null });
    expect(world.calls).toEqual([]);
  });

  test("a lease lost mid-way stops the drive (fencing): the other owner's journal wins", async () => {
    const svc = service();
    const world = fakeCheckoutSources();
    world.sources.payments.charge = async (req, key) => {
      await journal.release("u-1:k1", (await journal.get("u-1:k1"))?.leaseOwner as string);
      await journal.lease("u-1:k1", "thief/1", clock, 30_000);
      return {
        outcome: "charged",
        payment: { id: "pay-1", status: "succeeded", amount: { amount: req.amountCents, currency: key } },
      };
    };
    expect(await svc.checkout("u-1", request(), world.sources, world.sources, log)).toEqual({
      kind: "in_progress",
      cause: null,
    });
    expect(await stateOf()).toBe("INVENTORY_RESERVED");
  });

  describe("payment events", () => {
    const pending = async () => {
      await run({ charge: [noAnswer("payments")] }).answer;
    };
    const event = (type: "payment.succeeded" | "payment.declined" | "payment.refunded", paymentId = "pay-7") => {
      const world = fakeCheckoutSources();
      return {
        world,
        done: service().onPaymentEvent({ type, paymentId, reference: "u-1:k1" }, () => ({
          sources: world.sources,
          undo: world.sources,
        })),
      };
    };

    test("payment.succeeded for a charge in doubt: recorded, and the checkout goes forward without charging again", async () => {
      await pending();
      const { world, done } = event("payment.succeeded");
      expect(await done).toBe(true);
      expect(world.calls).toEqual([
        "create_order [u-1:k1:order]",
        "set_status o-1 paid",
        "commit res-p-1",
        "commit res-p-2",
      ]);
      expect(await stateOf()).toBe("COMPLETED");
      expect((await journal.get("u-1:k1"))?.data.payment).toEqual({ id: "pay-7", status: "succeeded" });
    });

    test("payment.declined for a charge in doubt: holds released, FAILED with PAYMENT_DECLINED", async () => {
      await pending();
      const { world, done } = event("payment.declined");
      await done;
      expect(world.calls).toEqual(["release res-p-1", "release res-p-2"]);
      expect(await stateOf()).toBe("FAILED");
    });

    test("payment.succeeded for a checkout that ended without an order: refunded, the outcome unchanged", async () => {
      await run({ reserve: [{ outcome: "out_of_stock" }] }).answer;
      const { world, done } = event("payment.succeeded", "pay-stray");
      await done;
      expect(world.calls).toEqual(["refund pay-stray"]);
      expect(await stateOf()).toBe("FAILED");
    });

    test("an event the journal already reflects changes nothing", async () => {
      await run().answer;
      const { world, done } = event("payment.succeeded", "pay-1");
      await done;
      expect(world.calls).toEqual([]);
      expect((await trail()).at(-1)).toBe("complete SUCCEEDED");
    });

    test("an unknown reference is not ours: accepted, nothing done", async () => {
      const world = fakeCheckoutSources();
      expect(
        await service().onPaymentEvent(
          { type: "payment.succeeded", paymentId: "p", reference: "nobody:nothing" },
          () => ({ sources: world.sources, undo: world.sources }),
        ),
      ).toBe(true);
    });
  });
});
