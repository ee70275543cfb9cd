import { registerEnumType } from "type-graphql";

/** Mirrors checkout/model.ts's states (schema/ knows nothing of the checkout module). */
export enum CheckoutState {
  RECEIVED = "RECEIVED",
  PRICED = "PRICED",
  INVENTORY_RESERVED = "INVENTORY_RESERVED",
  PAYMENT_CHARGED = "PAYMENT_CHARGED",
  ORDER_CREATED = "ORDER_CREATED",
  ORDER_PAID = "ORDER_PAID",
  STOCK_COMMITTED = "STOCK_COMMITTED",
  COMPLETED = "COMPLETED",
  COMPENSATING = "COMPENSATING",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(CheckoutState, {
  name: "CheckoutState",
  description:
    "Where a checkout is. Forward: the last upstream write known to have succeeded. COMPENSATING undoes; FAILED (userErrors) and CANCELLED (undone) end without an order; COMPLETED ends with a paid order.",
});

export enum CheckoutStepStatus {
  STARTED = "STARTED",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(CheckoutStepStatus, {
  name: "CheckoutStepStatus",
  description:
    "STARTED is journaled before an upstream write; then SUCCEEDED, FAILED, or UNKNOWN (no answer: replayed with the same key later).",
});
