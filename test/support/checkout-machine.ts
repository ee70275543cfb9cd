// The checkout state machine under test: a CheckoutService over an in-memory SQLite journal and
// fake datasources (test/support/fake-checkout-sources.ts), with a clock the tests move.
import pino from "pino";
import { SqliteJournal } from "../../checkout/journal/sqlite-journal";
import type { CheckoutRequest } from "../../checkout/model";
import { CheckoutService } from "../../checkout/service";
import { fakeCheckoutSources, type Script } from "./fake-checkout-sources";

export const log = pino({ level: "silent" });

export const request = (overrides: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
  items: [
    { productId: "p-1", quantity: 2 },
    { productId: "p-2", quantity: 1 },
  ],
  idempotencyKey: "k1",
  paymentMethod: "pm_card_visa",
  ...overrides,
});

/** Call inside a describe: a fresh journal and clock before each test, closed after it. */
export function checkoutMachine() {
  const state = { journal: undefined as unknown as SqliteJournal, clock: 0 };
  beforeEach(() => {
    state.journal = new SqliteJournal(":memory:");
    state.clock = 1_000_000;
  });
  afterEach(() => state.journal.close());
  const service = (options: { abandonAfterMs?: number; waitMs?: number; owner?: string } = {}) =>
    new CheckoutService({
      journal: state.journal,
      owner: options.owner ?? "test",
      leaseMs: 30_000,
      abandonAfterMs: options.abandonAfterMs ?? 300_000,
      now: () => state.clock,
      onBoundary: () => undefined,
      waitMs: options.waitMs ?? 0,
      recoveryAfterMs: 0,
      recoveryBatch: 10,
      log,
    });
  const run = (script: Script = {}, req = request(), svc = service()) => {
    const world = fakeCheckoutSources(script);
    return { world, answer: svc.checkout("u-1", req, world.sources, world.sources, log) };
  };
  const stateOf = async (id = "u-1:k1") => (await state.journal.get(id))?.state;
  const trail = async (id = "u-1:k1") =>
    (await state.journal.steps(id)).map((s) => `${s.name}${s.line ? `(${s.line})` : ""} ${s.status}`);
  const recover = (script: Script = {}, svc = service()) => {
    const world = fakeCheckoutSources(script);
    return { world, report: svc.recover(() => ({ sources: world.sources, undo: world.sources })) };
  };
  return { state, service, run, stateOf, trail, recover };
}
