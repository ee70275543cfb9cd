import { fakeCheckoutSources, noAnswer } from "../../support/fake-checkout-sources";
import { checkoutMachine, request, log } from "../../support/checkout-machine";

describe("the checkout state machine: leases and payment events (fake datasources, in-memory journal)", () => {
  const { state, service, run, stateOf, trail } = checkoutMachine();

  test("a call while another holds the checkout answers in_progress", async () => {
    await state.journal.open(
      { id: "u-1:k1", userId: "u-1", idempotencyKey: "k1", data: { lines: [], paymentMethod: "x", reservations: [] } },
      state.clock,
    );
    await state.journal.lease("u-1:k1", "other/1", state.clock, 30_000);
    const { world, answer } = run();
    expect(await answer).toEqual({ kind: "in_progress", cause: null });
    expect(world.calls).toEqual([]);
  });

  test("a lease lost mid-way stops the drive (fencing): the other owner's journal wins", async () => {
    const svc = service();
    const world = fakeCheckoutSources();
    world.sources.payments.charge = async (req, key) => {
      await state.journal.release("u-1:k1", (await state.journal.get("u-1:k1"))?.leaseOwner as string);
      await state.journal.lease("u-1:k1", "thief/1", state.clock, 30_000);
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
      expect((await state.journal.get("u-1:k1"))?.data.payment).toEqual({ id: "pay-7", status: "succeeded" });
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
