import type { OrderModel } from "../datasources/orders/orders.model";

/**
 * The states of one checkout (docs/maintainers/checkout.md). Forward, each state names the last upstream
 * write that is known to have succeeded; backward, COMPENSATING undoes what was done, down to
 * FAILED (a business outcome: userErrors) or CANCELLED (an unexpected failure, fully undone).
 */
export const CheckoutState = {
  Received: "RECEIVED",
  Priced: "PRICED",
  InventoryReserved: "INVENTORY_RESERVED",
  PaymentCharged: "PAYMENT_CHARGED",
  OrderCreated: "ORDER_CREATED",
  OrderPaid: "ORDER_PAID",
  StockCommitted: "STOCK_COMMITTED",
  Completed: "COMPLETED",
  Compensating: "COMPENSATING",
  Failed: "FAILED",
  Cancelled: "CANCELLED",
} as const;
export type CheckoutState = (typeof CheckoutState)[keyof typeof CheckoutState];

export const CHECKOUT_STATES: readonly CheckoutState[] = Object.values(CheckoutState);
/** Nothing more will happen to a checkout in these states; a retry answers its outcome. */
export const TERMINAL_STATES: readonly CheckoutState[] = [
  CheckoutState.Completed,
  CheckoutState.Failed,
  CheckoutState.Cancelled,
];
/** Once here the order is paid: the answer is the order, whatever happens next. */
export const PAID_STATES: readonly CheckoutState[] = [
  CheckoutState.OrderPaid,
  CheckoutState.StockCommitted,
  CheckoutState.Completed,
];

export const isTerminal = (state: CheckoutState): boolean => TERMINAL_STATES.includes(state);

/** One cart line, merged by product; `index` is its first position in the client's items. */
export interface CartLine {
  readonly productId: string;
  readonly quantity: number;
  readonly index: number;
}

/** What a client asked for, as checkout sees it (no GraphQL types). */
export interface CheckoutRequest {
  readonly items: ReadonlyArray<{ readonly productId: string; readonly quantity: number }>;
  readonly idempotencyKey: string;
  readonly paymentMethod: string;
}

export type ProblemCode = "INVALID_INPUT" | "OUT_OF_STOCK" | "PAYMENT_DECLINED" | "PRODUCT_NOT_FOUND";

/** A business outcome the client must act on (the resolver turns it into a userError). */
export interface CheckoutProblem {
  readonly code: ProblemCode;
  readonly message: string;
  readonly field: string[];
}

/**
 * Why a checkout was cancelled or is waiting: an upstream that failed (`service`), a process that
 * stopped mid-way (`interrupted`, found by recovery), or one that took too long (`abandoned`).
 */
export type CauseReason =
  | "upstream_unavailable"
  | "upstream_timeout"
  | "circuit_open"
  | "upstream_refused"
  | "interrupted"
  | "abandoned"
  | "internal";

export interface CheckoutCause {
  readonly reason: CauseReason;
  readonly service?: string;
}

/** Each write's progress: `pending` means its intent is journaled but its result is not (in doubt). */
export type WriteState = "pending" | "done" | "failed";

export interface ReservationEntry {
  readonly productId: string;
  reserve?: WriteState;
  id?: string;
  commit?: WriteState;
  release?: WriteState;
}

/** Everything the machine knows of one checkout: journaled as JSON beside its state. */
export interface CheckoutData {
  readonly lines: readonly CartLine[];
  readonly paymentMethod: string;
  priced?: { readonly currency: string; readonly amountCents: number; readonly unitPrices: Record<string, number> };
  reservations: ReservationEntry[];
  charge?: WriteState;
  payment?: { readonly id: string; status: "succeeded" | "declined" | "refunded" };
  refund?: WriteState;
  createOrder?: WriteState;
  order?: OrderModel;
  markPaid?: WriteState;
  cancelOrder?: WriteState;
  /** Set when the checkout turned back: FAILED with problems, or CANCELLED with a cause. */
  ending?:
    | { readonly kind: "failed"; readonly problems: CheckoutProblem[] }
    | { readonly kind: "cancelled"; readonly cause: CheckoutCause };
}

export interface CheckoutRecord {
  /** `<userId>:<idempotencyKey>`: also the payment's `reference`, which payment webhooks carry. */
  readonly id: string;
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly state: CheckoutState;
  readonly data: CheckoutData;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number;
}

export type StepStatus = "STARTED" | "SUCCEEDED" | "FAILED" | "UNKNOWN";

/** One line of the audit trail: before a write its intent (STARTED, with the key), after it the result. */
export interface StepRecord {
  readonly seq: number;
  readonly name: string;
  readonly line: string | null;
  readonly status: StepStatus;
  readonly idempotencyKey: string | null;
  /** Upstream ids the step produced or used (reservation, payment, order). */
  readonly upstreamIds: readonly string[];
  readonly detail: string | null;
  /** Which process wrote it. */
  readonly actor: string;
  readonly at: number;
}

/** What the client is told. */
export type CheckoutAnswer =
  | { readonly kind: "order"; readonly order: OrderModel }
  | { readonly kind: "problems"; readonly problems: CheckoutProblem[] }
  /** Undone: nothing charged, nothing held. A retry with the same key answers the same. */
  | { readonly kind: "cancelled"; readonly cause: CheckoutCause }
  /** Not finished: another process drives it, or it waits for an upstream. Retry with the same key. */
  | { readonly kind: "in_progress"; readonly cause: CheckoutCause | null };
