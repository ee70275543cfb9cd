import type { Logger } from "pino";
import { validateCheckout } from "./input";
import { answerOf } from "./answer";
import { acquireLease, LeaseLostError, releaseLease } from "./lease";
import { Drive, type DriveMode, type DriveResult, type MachineOptions } from "./machine";
import { applyPaymentEvent, type PaymentEvent } from "./payment-events";
import {
  CheckoutState as S,
  isTerminal,
  type CheckoutAnswer,
  type CheckoutData,
  type CheckoutRecord,
  type CheckoutRequest,
  type StepRecord,
} from "./model";
import type { CheckoutFilter, CheckoutSources } from "./ports";

export interface CheckoutServiceOptions extends MachineOptions {
  /** How long a call waits for a checkout another process is driving before it answers in_progress. */
  readonly waitMs: number;
  /** Recovery claims unfinished checkouts not written for this long. */
  readonly recoveryAfterMs: number;
  readonly recoveryBatch: number;
  readonly log: Logger;
}

/** Datasources for work no client request carries (recovery, webhooks): built per checkout. */
export type SourcesFor = (userId: string) => { sources: CheckoutSources; undo: CheckoutSources };

export interface RecoveryReport {
  readonly claimed: number;
  readonly finished: number;
  readonly waiting: number;
}

/**
 * The checkout application service: one instance per process, shared by every request. Knows
 * nothing of GraphQL; the resolver turns its answers into a payload or an error.
 */
export class CheckoutService {
  private leases = 0;

  constructor(private readonly options: CheckoutServiceOptions) {}

  /** A fresh lease token: two drives in one process are two owners too. */
  private token(kind: string): string {
    this.leases += 1;
    return `${this.options.owner}/${kind}-${this.leases}`;
  }

  /** A client's checkout: the recorded outcome when the key was seen, otherwise driven now. */
  async checkout(
    userId: string,
    request: CheckoutRequest,
    sources: CheckoutSources,
    undo: CheckoutSources,
    log: Logger,
  ): Promise<CheckoutAnswer> {
    const { lines, userErrors } = validateCheckout(request);
    if (userErrors.length > 0) return { kind: "problems", problems: userErrors };
    const id = `${userId}:${request.idempotencyKey}`;
    const data: CheckoutData = {
      lines,
      paymentMethod: request.paymentMethod,
      reservations: lines.map((l) => ({ productId: l.productId })),
    };
    const opened = await this.options.journal.open(
      { id, userId, idempotencyKey: request.idempotencyKey, data },
      this.options.now(),
    );
    if (isTerminal(opened.state)) return answerOf(opened, null);
    const leased = await acquireLease(this.options, id, this.token("call"));
    if (!leased) return { kind: "in_progress", cause: null };
    if (leased.leaseOwner === null) return answerOf(leased, null); // finished while we waited
    const result = await this.drive(leased, sources, undo, "request", log);
    return result ? answerOf(result.record, result.stalled) : { kind: "in_progress", cause: null };
  }

  /**
   * One recovery pass: claims unfinished checkouts older than the bound (never one another
   * replica holds) and drives each to an end, or as far as the upstreams let it.
   */
  async recover(sourcesFor: SourcesFor): Promise<RecoveryReport> {
    let claimed = 0;
    let finished = 0;
    // Claim a batch, drive it, claim the next: replicas recovering at once share the work.
    for (let batch = await this.claim(); batch.length > 0; batch = await this.claim()) {
      for (const record of batch) {
        claimed += 1;
        const { sources, undo } = sourcesFor(record.userId);
        const result = await this.drive(record, sources, undo, "recovery", this.options.log);
        if (result && isTerminal(result.record.state)) finished += 1;
        this.options.log.info(
          {
            checkout: record.id,
            from: record.state,
            to: result?.record.state ?? null,
            waiting: result?.stalled ?? null,
          },
          "checkout recovered",
        );
      }
      if (finished < claimed) break; // some wait for an upstream: the next pass tries again
    }
    return { claimed, finished, waiting: claimed - finished };
  }

  private claim(): Promise<CheckoutRecord[]> {
    const now = this.options.now();
    return this.options.journal.claimStale(
      this.token("recovery"),
      now - this.options.recoveryAfterMs,
      now,
      this.options.leaseMs,
      this.options.recoveryBatch,
    );
  }

  /**
   * A payment notification (webhook): records what it says in the journal and drives the checkout
   * on. False when another process holds the checkout (the sender retries later).
   */
  async onPaymentEvent(event: PaymentEvent, sourcesFor: SourcesFor): Promise<boolean> {
    const leased = await acquireLease(this.options, event.reference, this.token("call"));
    if (leased === undefined) return true; // no such checkout: not ours to act on
    if (!leased || leased.leaseOwner === null) return false;
    const { sources, undo } = sourcesFor(leased.userId);
    const drive = new Drive(this.options, leased, sources, undo, "recovery", this.options.log);
    try {
      if ((await applyPaymentEvent(drive, event)) && !isTerminal(drive.current().state)) await drive.run();
      return true;
    } finally {
      await releaseLease(this.options, leased);
    }
  }

  find(id: string): Promise<CheckoutRecord | null> {
    return this.options.journal.get(id);
  }

  steps(id: string): Promise<StepRecord[]> {
    return this.options.journal.steps(id);
  }

  list(filter: CheckoutFilter): Promise<CheckoutRecord[]> {
    return this.options.journal.list(filter);
  }

  /** Drives a leased checkout and gives the lease back. Null when the lease was lost on the way. */
  private async drive(
    record: CheckoutRecord,
    sources: CheckoutSources,
    undo: CheckoutSources,
    mode: DriveMode,
    log: Logger,
  ): Promise<DriveResult | null> {
    const drive = new Drive(this.options, record, sources, undo, mode, log);
    try {
      return await drive.run();
    } catch (error) {
      // Success stays success: once the order is paid, nothing that fails later (the journal
      // itself included) turns the answer into an error; recovery finishes what is left.
      if (drive.paidOrder) {
        log.error(
          { err: error, checkout: record.id },
          "checkout: failure after the order was paid; the answer is the order, recovery finishes the rest",
        );
        return {
          record: { ...drive.current(), state: S.OrderPaid, data: { ...drive.data, order: drive.paidOrder } },
          stalled: null,
        };
      }
      if (error instanceof LeaseLostError) return null;
      throw error;
    } finally {
      await releaseLease(this.options, record);
    }
  }
}
