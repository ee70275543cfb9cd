import type { Logger } from "pino";
import type { OrderModel } from "../datasources/orders/orders.model";
import { causeOf } from "./cause";
import { charge } from "./charge-step";
import { compensate } from "./compensation";
import { LeaseLostError } from "./lease";
import {
  CheckoutState as S,
  isTerminal,
  PAID_STATES,
  type CheckoutCause,
  type CheckoutData,
  type CheckoutRecord,
  type CheckoutState,
  type StepStatus,
} from "./model";
import { createOrder, markPaid } from "./order-steps";
import type { BoundaryHook, CheckoutJournal, CheckoutSources } from "./ports";
import { price } from "./pricing";
import { commit, reserve } from "./stock";

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

export interface StepWrite {
  readonly name: string;
  readonly status: StepStatus;
  readonly line?: string;
  readonly idempotencyKey?: string;
  readonly upstreamIds?: readonly string[];
  readonly detail?: string;
}

/**
 * One drive of one leased checkout through the state machine: before each upstream write its
 * intent is journaled, after it the result, then the next state. Every write is idempotent (keys
 * from keys.ts, or repeatable by the upstream's spec), so a drive cut short anywhere can be
 * driven again from its journal by anyone who holds the lease. The forward steps are in
 * pricing.ts, stock.ts, charge-step.ts and order-steps.ts; the way back in compensation.ts.
 */
export class Drive {
  readonly id: string;
  readonly data: CheckoutData;
  private state: CheckoutState;
  /** Once set the client's answer is this order, whatever fails afterwards. */
  paidOrder: OrderModel | null = null;

  constructor(
    private readonly options: MachineOptions,
    /** As leased: its state and data are the drive's starting point (see `current` for where it is). */
    readonly record: CheckoutRecord,
    readonly sources: CheckoutSources,
    readonly undo: CheckoutSources,
    readonly mode: DriveMode,
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
        return price(this);
      case S.Priced:
        return reserve(this);
      case S.InventoryReserved:
        return charge(this);
      case S.PaymentCharged:
        return createOrder(this);
      case S.OrderCreated:
        return markPaid(this);
      case S.OrderPaid:
        return commit(this);
      case S.StockCommitted:
        return this.write(S.Completed, { name: "complete", status: "SUCCEEDED" }).then(() => null);
      case S.Compensating:
        return compensate(this);
      default:
        return Promise.resolve(null);
    }
  }

  /** A forward step that recovery may not take (nobody is waiting for it): turns back. */
  interrupted(): Promise<null> {
    return this.turnBack({ kind: "cancelled", cause: { reason: "interrupted" } });
  }

  /** Unpaid for longer than `abandonAfterMs` since it began: it turns back instead of waiting on. */
  abandoned(): boolean {
    return this.options.now() - this.record.createdAt > this.options.abandonAfterMs;
  }
}
