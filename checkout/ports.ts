import type { CatalogSource } from "../datasources/catalog/catalog.model";
import type { InventorySource } from "../datasources/inventory/inventory.model";
import type { OrdersSource } from "../datasources/orders/orders.model";
import type { PaymentsSource } from "../datasources/payments/payments.model";
import type { CheckoutData, CheckoutRecord, CheckoutState, StepRecord, StepStatus } from "./model";

/** The upstreams checkout writes to, through their datasource interfaces (fakes in unit tests). */
export interface CheckoutSources {
  readonly catalog: Pick<CatalogSource, "findProduct">;
  readonly inventory: Pick<InventorySource, "reserve" | "commit" | "release">;
  readonly payments: Pick<PaymentsSource, "charge" | "refund">;
  readonly orders: Pick<OrdersSource, "createOrder" | "setStatus">;
}

/** A journal line to append, with the state and data to store in the same transaction. */
export interface JournalWrite {
  readonly step: {
    readonly name: string;
    readonly line: string | null;
    readonly status: StepStatus;
    readonly idempotencyKey: string | null;
    readonly upstreamIds: readonly string[];
    readonly detail: string | null;
  };
  readonly state: CheckoutState;
  readonly data: CheckoutData;
}

export interface CheckoutFilter {
  readonly state?: CheckoutState;
  readonly userId?: string;
  readonly limit: number;
}

/**
 * The durable journal (SQLite or PostgreSQL). Every write is fenced by the lease: it applies only
 * while `owner` holds the checkout, so a process that lost its lease (it stalled past the lease, and
 * another took over) can no longer move the checkout. Times are epoch milliseconds.
 */
export interface CheckoutJournal {
  /** Records a new checkout in RECEIVED, or returns the one already recorded under this id. */
  open(
    record: { id: string; userId: string; idempotencyKey: string; data: CheckoutData },
    now: number,
  ): Promise<CheckoutRecord>;
  get(id: string): Promise<CheckoutRecord | null>;
  /** Takes the lease when it is free or expired; null when another owner holds it. */
  lease(id: string, owner: string, now: number, leaseMs: number): Promise<CheckoutRecord | null>;
  /** Appends a step and stores state and data, extending the lease. False when `owner` lost the lease. */
  write(id: string, owner: string, write: JournalWrite, now: number, leaseMs: number): Promise<boolean>;
  /** Gives the lease back (no-op when another owner holds it). */
  release(id: string, owner: string): Promise<void>;
  /**
   * Leases up to `limit` unfinished checkouts not written since `olderThan` whose lease is free or
   * expired. Two replicas calling at once never get the same checkout.
   */
  claimStale(owner: string, olderThan: number, now: number, leaseMs: number, limit: number): Promise<CheckoutRecord[]>;
  steps(id: string): Promise<StepRecord[]>;
  list(filter: CheckoutFilter): Promise<CheckoutRecord[]>;
  close(): Promise<void>;
}

/** A test hook around each upstream write (config CHECKOUT_CRASH_AT); a no-op in production. */
export type BoundaryHook = (step: string, phase: "before" | "after") => void;
