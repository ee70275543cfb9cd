import type { Logger } from "pino";
import type { OrderModel } from "../datasources/orders/orders.model";
import { causeOf } from "./cause";
import { chargeOnce } from "./charge";
import { compensate } from "./compensation";
import { writeKey } from "./keys";
import {
  CheckoutState as S,
  isTerminal,
  PAID_STATES,
  type CheckoutCause,
  type CheckoutData,
  type CheckoutProblem,
  type CheckoutRecord,
  type CheckoutState,
  type ReservationEntry,
  type StepStatus,
} from "./model";
import type { BoundaryHook, CheckoutJournal, CheckoutSources } from "./ports";

/**
 * `request`: a client asked (again), so the checkout goes forward from wherever it is.
 * `recovery`: nobody is waiting; forward only from a charge that succeeded (or whose replay
 * says it did), backward otherwise (contract README, "Checkout").
 */
export type DriveMode = "request" | "recovery";

export interface MachineOptions {
  readonly journal: CheckoutJournal;
  /** This process's name; each lease it takes is `<owner>/<n>`, and fences every journal write. */
  readonly owner: string;
  readonly leaseMs: number;
  /** A checkout still unpaid this long after it began turns back (refund, release) instead of waiting on. */
  readonly abandonAfterMs: number;
  readonly now: () => number;
  readonly onBoundary: BoundaryHook;
}

export interface DriveResult {
  readonly record: CheckoutRecord;
  /** Set when the drive stopped short of a terminal state: what it waits for. */
  readonly stalled: CheckoutCause | null;
}

export class LeaseLostError extends Error {
  constructor(id: string) {
    super(`checkout ${id}: its lease passed to another process`);
  }
}

export interface StepWrite {
  readonly name: string;
  readonly status: StepStatus;
  readonly line?: string;
  readonly idempotencyKey?: string;
  readonly upstreamIds?: readonly string[];
  readonly detail?: string;
}

const problem = (code: CheckoutProblem["code"], message: string, field: string[]): CheckoutProblem => ({
  code,
  message,
  field,
});

/**
 * One drive of one leased checkout through the state machine: before each upstream write its
 * intent is journaled, after it the result, then the next state. Every write is idempotent (keys
 * from keys.ts, or repeatable by the upstream's spec), so a drive cut short anywhere can be
 * driven again from its journal by anyone who holds the lease.
 */
export class Drive {
  readonly id: string;
  readonly data: CheckoutData;
  private state: CheckoutState;
  /** Once set the client's answer is this order, whatever fails afterwards. */
  paidOrder: OrderModel | null = null;

  constructor(
    private readonly options: MachineOptions,
    private readonly record: CheckoutRecord,
    private readonly sources: CheckoutSources,
    readonly undo: CheckoutSources,
    private readonly mode: DriveMode,
    readonly log: Logger,
  ) {
    this.id = record.id;
    this.state = record.state;
    this.data = structuredClone(record.data);
    if (PAID_STATES.includes(record.state) && this.data.order) this.paidOrder = this.data.order;
  }

  current(): CheckoutRecord {
    return { ...this.record, state: this.state, data: this.data };
  }

  async run(): Promise<DriveResult> {
    for (let guard = 0; guard < 32 && !isTerminal(this.state); guard++) {
      let stalled: CheckoutCause | null;
      try {
        stalled = await this.advance();
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        this.log.error({ err: error, checkout: this.id, state: this.state }, "checkout step failed unexpectedly");
        stalled = causeOf(error);
        if (this.state === S.Received || this.state === S.Priced)
          stalled = await this.turnBack({ kind: "cancelled", cause: stalled });
      }
      if (stalled) return { record: this.current(), stalled };
    }
    return { record: this.current(), stalled: null };
  }

  /** Appends a journal line and stores the state and data with it; throws when the lease was lost. */
  async write(state: CheckoutState, step: StepWrite): Promise<void> {
    const ok = await this.options.journal.write(
      this.id,
      this.record.leaseOwner as string,
      {
        step: {
          name: step.name,
          status: step.status,
          line: step.line ?? null,
          idempotencyKey: step.idempotencyKey ?? null,
          upstreamIds: step.upstreamIds ?? [],
          detail: step.detail ?? null,
        },
        state,
        data: this.data,
      },
      this.options.now(),
      this.options.leaseMs,
    );
    if (!ok) throw new LeaseLostError(this.id);
    this.state = state;
  }

  boundary(step: string, phase: "before" | "after"): void {
    this.options.onBoundary(step, phase);
  }

  /** Turns the checkout back: COMPENSATING undoes what was done, then FAILED or CANCELLED. */
  async turnBack(ending: NonNullable<CheckoutData["ending"]>): Promise<null> {
    this.data.ending = ending;
    const detail =
      ending.kind === "failed"
        ? ending.problems.map((p) => p.code).join(",")
        : `${ending.cause.reason}${ending.cause.service ? ` (${ending.cause.service})` : ""}`;
    await this.write(S.Compensating, { name: "compensate", status: "STARTED", detail });
    return null;
  }

  private advance(): Promise<CheckoutCause | null> {
    switch (this.state) {
      case S.Received:
        return this.price();
      case S.Priced:
        return this.reserve();
      case S.InventoryReserved:
        return this.charge();
      case S.PaymentCharged:
        return this.createOrder();
      case S.OrderCreated:
        return this.markPaid();
      case S.OrderPaid:
        return this.commit();
      case S.StockCommitted:
        return this.write(S.Completed, { name: "complete", status: "SUCCEEDED" }).then(() => null);
      case S.Compensating:
        return compensate(this);
      default:
        return Promise.resolve(null);
    }
  }

  private interrupted(): Promise<null> {
    return this.turnBack({ kind: "cancelled", cause: { reason: "interrupted" } });
  }

  private abandoned(): boolean {
    return this.options.now() - this.record.createdAt > this.options.abandonAfterMs;
  }

  private async price(): Promise<CheckoutCause | null> {
    if (this.mode === "recovery") return this.interrupted();
    const { lines } = this.data;
    const products = await Promise.all(lines.map((line) => this.sources.catalog.findProduct(line.productId)));
    const missing = lines.filter((_, i) => products[i] === null);
    const currencies = new Set(products.flatMap((p) => (p ? [p.price.currency] : [])));
    const problems =
      missing.length > 0
        ? missing.map((line) =>
            problem("PRODUCT_NOT_FOUND", `No product ${line.productId}`, ["items", String(line.index), "productId"]),
          )
        : currencies.size > 1
          ? [problem("INVALID_INPUT", "All items must be priced in one currency", ["items"])]
          : [];
    if (problems.length > 0) {
      this.data.ending = { kind: "failed", problems };
      await this.write(S.Failed, { name: "price", status: "FAILED", detail: problems.map((p) => p.code).join(",") });
      return null;
    }
    const unitPrices = Object.fromEntries(products.map((p) => [p?.id, p?.price.amount ?? 0]));
    const amountCents = lines.reduce((sum, line) => sum + line.quantity * (unitPrices[line.productId] ?? 0), 0);
    this.data.priced = { currency: [...currencies][0] as string, amountCents, unitPrices };
    await this.write(S.Priced, {
      name: "price",
      status: "SUCCEEDED",
      detail: `${amountCents} ${this.data.priced.currency}`,
    });
    return null;
  }

  private async reserve(): Promise<CheckoutCause | null> {
    if (this.mode === "recovery") return this.interrupted();
    const problems: CheckoutProblem[] = [];
    const unknown: CheckoutCause[] = [];
    await Promise.all(
      this.data.reservations.map(async (entry) => {
        if (entry.reserve === "done") return;
        const line = this.data.lines.find((l) => l.productId === entry.productId) as CheckoutData["lines"][number];
        const key = writeKey(this.id, "reserve", entry.productId);
        entry.reserve = "pending";
        await this.write(S.Priced, {
          name: "reserve",
          status: "STARTED",
          line: entry.productId,
          idempotencyKey: key,
          detail: `quantity ${line.quantity}`,
        });
        this.boundary("reserve", "before");
        const outcome = await this.sources.inventory.reserve(entry.productId, line.quantity, key);
        this.boundary("reserve", "after");
        if (outcome.outcome === "reserved") {
          Object.assign(entry, { reserve: "done", id: outcome.reservation.id } satisfies Partial<ReservationEntry>);
          await this.write(S.Priced, {
            name: "reserve",
            status: "SUCCEEDED",
            line: entry.productId,
            upstreamIds: [outcome.reservation.id],
          });
        } else if (outcome.outcome === "unknown") {
          unknown.push(causeOf(outcome.error));
          await this.write(S.Priced, {
            name: "reserve",
            status: "UNKNOWN",
            line: entry.productId,
            detail: outcome.error.message,
          });
        } else {
          entry.reserve = "failed";
          problems.push(
            outcome.outcome === "out_of_stock"
              ? problem("OUT_OF_STOCK", `Not enough stock of ${entry.productId}`, [
                  "items",
                  String(line.index),
                  "quantity",
                ])
              : problem("PRODUCT_NOT_FOUND", `No stock record for ${entry.productId}`, [
                  "items",
                  String(line.index),
                  "productId",
                ]),
          );
          await this.write(S.Priced, {
            name: "reserve",
            status: "FAILED",
            line: entry.productId,
            detail: outcome.outcome,
          });
        }
      }),
    );
    if (problems.length > 0)
      return this.turnBack({
        kind: "failed",
        problems: problems.sort((a, b) => a.field.join().localeCompare(b.field.join())),
      });
    if (unknown.length > 0) return this.turnBack({ kind: "cancelled", cause: unknown[0] as CheckoutCause });
    await this.write(S.InventoryReserved, {
      name: "reserved",
      status: "SUCCEEDED",
      upstreamIds: this.data.reservations.map((r) => r.id as string),
    });
    return null;
  }

  private async charge(): Promise<CheckoutCause | null> {
    // Not yet sent: recovery turns back. Sent and in doubt: only a replay of its key can tell.
    if (this.data.charge === undefined && this.mode === "recovery") return this.interrupted();
    const known = this.data.payment?.status; // a webhook may have told us already
    const outcome =
      known === "succeeded" ? "charged" : known === "declined" ? "declined" : await chargeOnce(this, this.sources);
    if (outcome === "charged") {
      await this.write(S.PaymentCharged, {
        name: "charged",
        status: "SUCCEEDED",
        upstreamIds: [this.data.payment?.id as string],
      });
      return null;
    }
    if (outcome === "declined")
      return this.turnBack({
        kind: "failed",
        problems: [problem("PAYMENT_DECLINED", "The payment was declined", ["paymentMethod"])],
      });
    if (outcome === "refused")
      return this.turnBack({
        kind: "failed",
        problems: [problem("INVALID_INPUT", "The payments service refused this payment method", ["paymentMethod"])],
      });
    return outcome;
  }

  private async createOrder(): Promise<CheckoutCause | null> {
    if (this.abandoned()) return this.turnBack({ kind: "cancelled", cause: { reason: "abandoned" } });
    const { priced, payment, lines } = this.data as Required<CheckoutData>;
    const key = writeKey(this.id, "order");
    this.data.createOrder = "pending";
    await this.write(S.PaymentCharged, {
      name: "create_order",
      status: "STARTED",
      idempotencyKey: key,
      upstreamIds: [payment.id],
    });
    this.boundary("create_order", "before");
    const outcome = await this.sources.orders.createOrder(
      {
        userId: this.record.userId,
        currency: priced.currency,
        paymentId: payment.id,
        reservationIds: this.data.reservations.map((r) => r.id as string),
        items: lines.map((line) => ({
          productId: line.productId,
          quantity: line.quantity,
          unitPriceCents: priced.unitPrices[line.productId] ?? 0,
        })),
      },
      key,
    );
    this.boundary("create_order", "after");
    if (outcome.outcome === "done") {
      this.data.createOrder = "done";
      this.data.order = outcome.order;
      await this.write(S.OrderCreated, { name: "create_order", status: "SUCCEEDED", upstreamIds: [outcome.order.id] });
      return null;
    }
    return this.afterOrderFailure("create_order", outcome);
  }

  private async markPaid(): Promise<CheckoutCause | null> {
    if (this.abandoned()) return this.turnBack({ kind: "cancelled", cause: { reason: "abandoned" } });
    const order = this.data.order as OrderModel;
    this.data.markPaid = "pending";
    await this.write(S.OrderCreated, { name: "mark_paid", status: "STARTED", upstreamIds: [order.id] });
    this.boundary("mark_paid", "before");
    const outcome = await this.sources.orders.setStatus(order.id, "paid");
    this.boundary("mark_paid", "after");
    if (outcome.outcome === "done") {
      this.data.markPaid = "done";
      this.data.order = outcome.order;
      this.paidOrder = outcome.order;
      await this.write(S.OrderPaid, { name: "mark_paid", status: "SUCCEEDED", upstreamIds: [order.id] });
      return null;
    }
    return this.afterOrderFailure("mark_paid", outcome);
  }

  private async afterOrderFailure(
    step: string,
    outcome: { outcome: "refused"; code: string | undefined } | { outcome: "unknown"; error: Error },
  ): Promise<CheckoutCause | null> {
    if (outcome.outcome === "refused") {
      await this.write(this.state, { name: step, status: "FAILED", detail: outcome.code ?? "refused" });
      return this.turnBack({ kind: "cancelled", cause: { reason: "upstream_refused", service: "orders" } });
    }
    await this.write(this.state, { name: step, status: "UNKNOWN", detail: outcome.error.message });
    return causeOf(outcome.error);
  }

  /** After the order is paid there is no way back: a commit that fails waits and is retried. */
  private async commit(): Promise<CheckoutCause | null> {
    const waiting: CheckoutCause[] = [];
    await Promise.all(
      this.data.reservations.map(async (entry) => {
        if (entry.commit === "done" || entry.commit === "failed") return;
        const id = entry.id as string;
        entry.commit = "pending";
        await this.write(S.OrderPaid, { name: "commit", status: "STARTED", line: entry.productId, upstreamIds: [id] });
        this.boundary("commit", "before");
        const outcome = await this.sources.inventory.commit(id);
        this.boundary("commit", "after");
        if (outcome.outcome === "committed") {
          entry.commit = "done";
          await this.write(S.OrderPaid, {
            name: "commit",
            status: "SUCCEEDED",
            line: entry.productId,
            upstreamIds: [id],
          });
        } else if (outcome.outcome === "released") {
          entry.commit = "failed";
          this.log.error(
            { checkout: this.id, reservation: id },
            "checkout: the hold was released before its commit; the paid order's stock needs reconciliation",
          );
          await this.write(S.OrderPaid, {
            name: "commit",
            status: "FAILED",
            line: entry.productId,
            upstreamIds: [id],
            detail: "released before the commit: needs reconciliation",
          });
        } else {
          waiting.push(causeOf(outcome.error));
          await this.write(S.OrderPaid, {
            name: "commit",
            status: "UNKNOWN",
            line: entry.productId,
            upstreamIds: [id],
            detail: outcome.error.message,
          });
        }
      }),
    );
    if (waiting.length > 0) return waiting[0] as CheckoutCause;
    await this.write(S.StockCommitted, { name: "committed", status: "SUCCEEDED" });
    return null;
  }
}
