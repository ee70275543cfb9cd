import type { Drive } from "./machine";
import { CheckoutState as S, isTerminal, PAID_STATES } from "./model";

/** A payments notification (contract README, "Webhooks"): `reference` is the checkout's id. */
export interface PaymentEvent {
  readonly type: "payment.succeeded" | "payment.declined" | "payment.refunded";
  readonly paymentId: string;
  readonly reference: string;
}

export const PAYMENT_EVENT_TYPES: ReadonlyArray<PaymentEvent["type"]> = [
  "payment.succeeded",
  "payment.declined",
  "payment.refunded",
];

/**
 * Moves a leased checkout's journal on with what payments reports, which closes the loop on
 * charges whose answer was lost. Idempotent: a fact the journal already holds changes nothing.
 * A succeeded payment on a checkout that ended without an order is refunded (turning it back
 * to COMPENSATING; its outcome stays the same), so money is never kept without an order.
 */
/** True when the event told the journal something new (then the checkout is driven on). */
export async function applyPaymentEvent(drive: Drive, event: PaymentEvent): Promise<boolean> {
  const { data } = drive;
  const state = drive.current().state;
  const known = data.payment?.id === event.paymentId;
  const step = { name: "webhook", line: undefined, upstreamIds: [event.paymentId], detail: event.type } as const;

  if (event.type === "payment.refunded") {
    if (!known || data.payment?.status === "refunded") return false;
    (data.payment as { status: string }).status = "refunded";
    data.refund = "done";
    if (PAID_STATES.includes(state))
      drive.log.error(
        { checkout: drive.id, payment: event.paymentId },
        "the payment of a paid order was refunded outside checkout: needs reconciliation",
      );
    await drive.write(state, { ...step, status: "SUCCEEDED" });
    return true;
  }
  if (known || data.payment) {
    if (!known && PAID_STATES.includes(state))
      drive.log.error(
        { checkout: drive.id, payment: event.paymentId },
        "a second payment for a paid checkout: needs reconciliation",
      );
    return false;
  }
  const succeeded = event.type === "payment.succeeded";
  data.payment = { id: event.paymentId, status: succeeded ? "succeeded" : "declined" };
  data.charge = succeeded ? "done" : "failed";
  // Ended without an order, yet charged: turn back again to refund it.
  const next = succeeded && isTerminal(state) ? S.Compensating : state;
  await drive.write(next, { ...step, status: succeeded ? "SUCCEEDED" : "FAILED" });
  return true;
}
