import { fakeCheckoutSources, noAnswer } from "../../support/fake-checkout-sources";
import { checkoutMachine, request, log } from "../../support/checkout-machine";

describe("the checkout state machine: answers lost, recovery, success kept (fake datasources, in-memory journal)", () => {
  const { state, service, run, stateOf, recover } = checkoutMachine();

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
    const write = state.journal.write.bind(state.journal);
    state.journal.write = async (id, owner, w, now, leaseMs) => {
      if (w.step.name === "charge") throw new Error("process died");
      return write(id, owner, w, now, leaseMs);
    };
    expect(await run().answer).toEqual({ kind: "in_progress", cause: { reason: "internal" } });
    state.journal.write = write;
    expect(await stateOf()).toBe("INVENTORY_RESERVED");
    const { world, report } = recover();
    await report;
    expect(world.calls).toEqual(["release res-p-1", "release res-p-2"]);
    expect(await stateOf()).toBe("CANCELLED");
    expect((await state.journal.get("u-1:k1"))?.data.ending).toEqual({
      kind: "cancelled",
      cause: { reason: "interrupted" },
    });
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
    const journalled = await state.journal.get("u-1:k1");
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
    state.clock += 301_000;
    const { world, report } = recover();
    await report;
    expect(world.calls).toEqual(["set_status o-1 cancelled", "refund pay-1", "release res-p-1", "release res-p-2"]);
    expect(await stateOf()).toBe("CANCELLED");
    expect((await state.journal.get("u-1:k1"))?.data.ending).toEqual({
      kind: "cancelled",
      cause: { reason: "abandoned" },
    });
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
    const write = state.journal.write.bind(state.journal);
    let paid = false;
    state.journal.write = async (id, owner, w, now, leaseMs) => {
      if (paid) throw new Error("database gone");
      if (w.state === "ORDER_PAID") paid = true;
      return write(id, owner, w, now, leaseMs);
    };
    const { answer } = run();
    expect(await answer).toMatchObject({ kind: "order", order: { id: "o-1", status: "paid" } });
  });
});
