import type { OrderModel } from "../datasources/orders/orders.model";
import { causeOf } from "./cause";
import { writeKey } from "./keys";
import type { Drive } from "./machine";
import { CheckoutState as S, type CheckoutCause, type CheckoutData, type CheckoutState } from "./model";

/** PAYMENT_CHARGED -> ORDER_CREATED: the order for what was charged (idempotent key). */
export async function createOrder(drive: Drive): Promise<CheckoutCause | null> {
  if (drive.abandoned()) return drive.turnBack({ kind: "cancelled", cause: { reason: "abandoned" } });
  const { priced, payment, lines } = drive.data as Required<CheckoutData>;
  const key = writeKey(drive.id, "order");
  drive.data.createOrder = "pending";
  await drive.write(S.PaymentCharged, {
    name: "create_order",
    status: "STARTED",
    idempotencyKey: key,
    upstreamIds: [payment.id],
  });
  drive.boundary("create_order", "before");
  const outcome = await drive.sources.orders.createOrder(
    {
      userId: drive.record.userId,
      currency: priced.currency,
      paymentId: payment.id,
      reservationIds: drive.data.reservations.map((r) => r.id as string),
      items: lines.map((line) => ({
        productId: line.productId,
        quantity: line.quantity,
        unitPriceCents: priced.unitPrices[line.productId] ?? 0,
      })),
    },
    key,
  );
  drive.boundary("create_order", "after");
  if (outcome.outcome === "done") {
    drive.data.createOrder = "done";
    drive.data.order = outcome.order;
    await drive.write(S.OrderCreated, { name: "create_order", status: "SUCCEEDED", upstreamIds: [outcome.order.id] });
    return null;
  }
  return afterOrderFailure(drive, S.PaymentCharged, "create_order", outcome);
}

/** ORDER_CREATED -> ORDER_PAID: from here the client's answer is the order. */
export async function markPaid(drive: Drive): Promise<CheckoutCause | null> {
  if (drive.abandoned()) return drive.turnBack({ kind: "cancelled", cause: { reason: "abandoned" } });
  const order = drive.data.order as OrderModel;
  drive.data.markPaid = "pending";
  await drive.write(S.OrderCreated, { name: "mark_paid", status: "STARTED", upstreamIds: [order.id] });
  drive.boundary("mark_paid", "before");
  const outcome = await drive.sources.orders.setStatus(order.id, "paid");
  drive.boundary("mark_paid", "after");
  if (outcome.outcome === "done") {
    drive.data.markPaid = "done";
    drive.data.order = outcome.order;
    drive.paidOrder = outcome.order;
    await drive.write(S.OrderPaid, { name: "mark_paid", status: "SUCCEEDED", upstreamIds: [order.id] });
    return null;
  }
  return afterOrderFailure(drive, S.OrderCreated, "mark_paid", outcome);
}

async function afterOrderFailure(
  drive: Drive,
  /** The state the step was started in (journaled with its STARTED line). */
  state: CheckoutState,
  step: string,
  outcome: { outcome: "refused"; code: string | undefined } | { outcome: "unknown"; error: Error },
): Promise<CheckoutCause | null> {
  if (outcome.outcome === "refused") {
    await drive.write(state, { name: step, status: "FAILED", detail: outcome.code ?? "refused" });
    return drive.turnBack({ kind: "cancelled", cause: { reason: "upstream_refused", service: "orders" } });
  }
  await drive.write(state, { name: step, status: "UNKNOWN", detail: outcome.error.message });
  return causeOf(outcome.error);
}
