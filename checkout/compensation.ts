import { causeOf } from "./cause";
import { writeKey } from "./keys";
import { chargeOnce } from "./charge";
import type { Drive } from "./machine";
import { CheckoutState as S, type CheckoutCause, type ReservationEntry } from "./model";

/**
 * COMPENSATING: undoes what the checkout did, each action idempotent and journaled like a forward
 * step: cancel the order, settle a charge in doubt (replay its key), refund, release every hold
 * (replaying a reservation in doubt first, to learn its id). Actions that get no answer leave the
 * checkout here, to be retried; once all are done it ends FAILED or CANCELLED.
 */
export async function compensate(drive: Drive): Promise<CheckoutCause | null> {
  const { data, undo } = drive;
  const waiting: CheckoutCause[] = [];
  const order = data.order;
  if (order && data.cancelOrder !== "done") {
    data.cancelOrder = "pending";
    await drive.write(S.Compensating, { name: "cancel_order", status: "STARTED", upstreamIds: [order.id] });
    drive.boundary("cancel_order", "before");
    const outcome = await undo.orders.setStatus(order.id, "cancelled");
    drive.boundary("cancel_order", "after");
    if (outcome.outcome === "done") {
      data.cancelOrder = "done";
      data.order = outcome.order;
      await drive.write(S.Compensating, { name: "cancel_order", status: "SUCCEEDED", upstreamIds: [order.id] });
    } else if (outcome.outcome === "refused") {
      data.cancelOrder = "failed";
      drive.log.error({ checkout: drive.id, order: order.id }, "checkout compensation failed: needs reconciliation");
      await drive.write(S.Compensating, {
        name: "cancel_order",
        status: "FAILED",
        upstreamIds: [order.id],
        detail: outcome.code ?? "refused",
      });
    } else {
      waiting.push(causeOf(outcome.error));
      await drive.write(S.Compensating, {
        name: "cancel_order",
        status: "UNKNOWN",
        upstreamIds: [order.id],
        detail: outcome.error.message,
      });
    }
  }

  if (data.charge === "pending" && !data.payment) {
    const settled = await chargeOnce(drive, undo);
    if (typeof settled === "object") waiting.push(settled);
  }
  const payment = data.payment;
  if (payment?.status === "succeeded" && data.refund !== "done") {
    data.refund = "pending";
    await drive.write(S.Compensating, { name: "refund", status: "STARTED", upstreamIds: [payment.id] });
    drive.boundary("refund", "before");
    const outcome = await undo.payments.refund(payment.id);
    drive.boundary("refund", "after");
    if (outcome.outcome === "unknown") {
      waiting.push(causeOf(outcome.error));
      await drive.write(S.Compensating, {
        name: "refund",
        status: "UNKNOWN",
        upstreamIds: [payment.id],
        detail: outcome.error.message,
      });
    } else {
      data.refund = "done";
      if (outcome.outcome === "refunded") payment.status = "refunded";
      await drive.write(S.Compensating, {
        name: "refund",
        status: "SUCCEEDED",
        upstreamIds: [payment.id],
        detail: outcome.outcome,
      });
    }
  }

  await Promise.all(data.reservations.map((entry) => releaseHold(drive, entry, waiting)));
  if (waiting.length > 0) return waiting[0] as CheckoutCause;
  const ending = data.ending;
  await drive.write(ending?.kind === "failed" ? S.Failed : S.Cancelled, { name: "compensated", status: "SUCCEEDED" });
  return null;
}

async function releaseHold(drive: Drive, entry: ReservationEntry, waiting: CheckoutCause[]): Promise<void> {
  const { undo } = drive;
  if (entry.reserve === "pending" && !entry.id) {
    // In doubt: replaying its key answers the hold if there is one (or makes one, released just below).
    const line = drive.data.lines.find((l) => l.productId === entry.productId);
    const key = writeKey(drive.id, "reserve", entry.productId);
    await drive.write(S.Compensating, {
      name: "reserve",
      status: "STARTED",
      line: entry.productId,
      idempotencyKey: key,
      detail: "replay of a hold in doubt",
    });
    drive.boundary("reserve", "before");
    const outcome = await undo.inventory.reserve(entry.productId, line?.quantity ?? 1, key);
    drive.boundary("reserve", "after");
    if (outcome.outcome === "unknown") {
      waiting.push(causeOf(outcome.error));
      await drive.write(S.Compensating, {
        name: "reserve",
        status: "UNKNOWN",
        line: entry.productId,
        detail: outcome.error.message,
      });
      return;
    }
    if (outcome.outcome === "reserved") Object.assign(entry, { reserve: "done", id: outcome.reservation.id });
    else entry.reserve = "failed";
    await drive.write(S.Compensating, {
      name: "reserve",
      status: entry.id ? "SUCCEEDED" : "FAILED",
      line: entry.productId,
      upstreamIds: entry.id ? [entry.id] : [],
      detail: outcome.outcome,
    });
  }
  if (!entry.id || entry.release === "done" || entry.commit === "done") return;
  const id = entry.id;
  entry.release = "pending";
  await drive.write(S.Compensating, { name: "release", status: "STARTED", line: entry.productId, upstreamIds: [id] });
  drive.boundary("release", "before");
  const outcome = await undo.inventory.release(id);
  drive.boundary("release", "after");
  if (outcome.outcome === "unknown") {
    waiting.push(causeOf(outcome.error));
    await drive.write(S.Compensating, {
      name: "release",
      status: "UNKNOWN",
      line: entry.productId,
      upstreamIds: [id],
      detail: outcome.error.message,
    });
    return;
  }
  entry.release = outcome.outcome === "committed" ? "failed" : "done";
  if (outcome.outcome === "committed")
    drive.log.error({ checkout: drive.id, reservation: id }, "checkout compensation failed: needs reconciliation");
  await drive.write(S.Compensating, {
    name: "release",
    status: outcome.outcome === "committed" ? "FAILED" : "SUCCEEDED",
    line: entry.productId,
    upstreamIds: [id],
    detail: outcome.outcome,
  });
}
