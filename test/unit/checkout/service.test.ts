import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { SqliteJournal } from "../../../checkout/journal/sqlite-journal";
import type { CheckoutRequest } from "../../../checkout/model";
import { CheckoutService } from "../../../checkout/service";
import type { ChargeOutcome } from "../../../datasources/payments/payments.model";
import { fakeCheckoutSources, noAnswer } from "../../support/fake-checkout-sources";

const log = pino({ level: "silent" });
const request: CheckoutRequest = {
  items: [{ productId: "p-1", quantity: 1 }],
  idempotencyKey: "k1",
  paymentMethod: "pm_card_visa",
};

/** The saga over a journal file, as processes share it: each "process" opens its own connection. */
describe("CheckoutService over a SQLite journal file (processes that stop and share it)", () => {
  let dir: string;
  let path: string;
  const opened: SqliteJournal[] = [];
  let clock = 1_000_000;
  const process = (owner: string) => {
    const journal = new SqliteJournal(path);
    opened.push(journal);
    const service = new CheckoutService({
      journal,
      owner,
      leaseMs: 30_000,
      abandonAfterMs: 300_000,
      now: () => clock,
      onBoundary: () => undefined,
      waitMs: 0,
      recoveryAfterMs: 60_000,
      recoveryBatch: 10,
      log,
    });
    return { journal, service };
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bff-saga-"));
    path = join(dir, "checkout.sqlite");
    clock = 1_000_000;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((j) => j.close().catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  test("a process stops with a charge in doubt; after a restart, recovery replays the charge with its key and completes", async () => {
    const first = process("p1");
    const before = fakeCheckoutSources({ charge: [noAnswer("payments")] });
    expect(await first.service.checkout("u-1", request, before.sources, before.sources, log)).toEqual({
      kind: "in_progress",
      cause: { reason: "upstream_timeout", service: "payments" },
    });
    await first.journal.close(); // the process is gone

    const second = process("p2");
    const quietTooSoon = fakeCheckoutSources();
    expect(await second.service.recover(() => ({ sources: quietTooSoon.sources, undo: quietTooSoon.sources }))).toEqual(
      { claimed: 0, finished: 0, waiting: 0 },
    );
    clock += 60_001; // quiet for longer than CHECKOUT_RECOVERY_AFTER_MS
    const after = fakeCheckoutSources();
    expect(await second.service.recover(() => ({ sources: after.sources, undo: after.sources }))).toEqual({
      claimed: 1,
      finished: 1,
      waiting: 0,
    });
    expect(after.calls).toEqual([
      "charge 1000 u-1:k1 [u-1:k1:charge]",
      "create_order [u-1:k1:order]",
      "set_status o-1 paid",
      "commit res-p-1",
    ]);
    expect((await second.journal.get("u-1:k1"))?.state).toBe("COMPLETED");
    expect(new Set((await second.journal.steps("u-1:k1")).map((s) => s.actor.split("/")[0]))).toEqual(
      new Set(["client", "p1", "p2"]),
    ); // received, then each process

    const retried = fakeCheckoutSources();
    expect(await second.service.checkout("u-1", request, retried.sources, retried.sources, log)).toMatchObject({
      kind: "order",
      order: { id: "o-1" },
    });
    expect(retried.calls).toEqual([]); // the journal's outcome, nothing called
  });

  test("two processes get the same key at once: one drives it, the other answers in_progress and calls nothing", async () => {
    const a = process("a");
    const b = process("b");
    let charged: (outcome: ChargeOutcome) => void = () => undefined;
    const slow = fakeCheckoutSources();
    const charge = slow.sources.payments.charge;
    slow.sources.payments.charge = async (req, key) => {
      await new Promise<ChargeOutcome>((resolve) => {
        charged = resolve;
      });
      return charge(req, key);
    };
    const driving = a.service.checkout("u-1", request, slow.sources, slow.sources, log);
    for (let n = 0; n < 100 && !slow.calls.some((c) => c.startsWith("reserve")); n++)
      await new Promise((r) => setImmediate(r));
    const other = fakeCheckoutSources();
    expect(await b.service.checkout("u-1", request, other.sources, other.sources, log)).toEqual({
      kind: "in_progress",
      cause: null,
    });
    expect(other.calls).toEqual([]);
    charged({ outcome: "unknown", error: noAnswer("payments").error }); // the value is ignored: the real charge follows
    expect(await driving).toMatchObject({ kind: "order" });
    expect(await b.service.checkout("u-1", request, other.sources, other.sources, log)).toMatchObject({
      kind: "order",
      order: { id: "o-1" },
    });
    expect(other.calls).toEqual([]);
  });
});
