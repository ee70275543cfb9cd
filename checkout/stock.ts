import { causeOf } from "./cause";
import { writeKey } from "./keys";
import type { Drive } from "./machine";
import {
  CheckoutState as S,
  type CheckoutCause,
  type CheckoutData,
  type CheckoutProblem,
  type ReservationEntry,
} from "./model";
import { problem } from "./problem";

// The inventory steps of the forward path: holds before the charge, their commit after the order is paid.

/** PRICED -> INVENTORY_RESERVED: one hold per line (idempotent keys); a refused hold fails the checkout. */
export async function reserve(drive: Drive): Promise<CheckoutCause | null> {
  if (drive.mode === "recovery") return drive.interrupted();
  const problems: CheckoutProblem[] = [];
  const unknown: CheckoutCause[] = [];
  await Promise.all(
    drive.data.reservations.map(async (entry) => {
      if (entry.reserve === "done") return;
      const line = drive.data.lines.find((l) => l.productId === entry.productId) as CheckoutData["lines"][number];
      const key = writeKey(drive.id, "reserve", entry.productId);
      entry.reserve = "pending";
      await drive.write(S.Priced, {
        name: "reserve",
        status: "STARTED",
        line: entry.productId,
        idempotencyKey: key,
        detail: `quantity ${line.quantity}`,
      });
      drive.boundary("reserve", "before");
      const outcome = await drive.sources.inventory.reserve(entry.productId, line.quantity, key);
      drive.boundary("reserve", "after");
      if (outcome.outcome === "reserved") {
        Object.assign(entry, { reserve: "done", id: outcome.reservation.id } satisfies Partial<ReservationEntry>);
        await drive.write(S.Priced, {
          name: "reserve",
          status: "SUCCEEDED",
          line: entry.productId,
          upstreamIds: [outcome.reservation.id],
        });
      } else if (outcome.outcome === "unknown") {
        unknown.push(causeOf(outcome.error));
        await drive.write(S.Priced, {
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
        await drive.write(S.Priced, {
          name: "reserve",
          status: "FAILED",
          line: entry.productId,
          detail: outcome.outcome,
        });
      }
    }),
  );
  if (problems.length > 0)
    return drive.turnBack({
      kind: "failed",
      problems: problems.sort((a, b) => a.field.join().localeCompare(b.field.join())),
    });
  if (unknown.length > 0) return drive.turnBack({ kind: "cancelled", cause: unknown[0] as CheckoutCause });
  await drive.write(S.InventoryReserved, {
    name: "reserved",
    status: "SUCCEEDED",
    upstreamIds: drive.data.reservations.map((r) => r.id as string),
  });
  return null;
}

/** After the order is paid there is no way back: a commit that fails waits and is retried. */
export async function commit(drive: Drive): Promise<CheckoutCause | null> {
  const waiting: CheckoutCause[] = [];
  await Promise.all(
    drive.data.reservations.map(async (entry) => {
      if (entry.commit === "done" || entry.commit === "failed") return;
      const id = entry.id as string;
      entry.commit = "pending";
      await drive.write(S.OrderPaid, { name: "commit", status: "STARTED", line: entry.productId, upstreamIds: [id] });
      drive.boundary("commit", "before");
      const outcome = await drive.sources.inventory.commit(id);
      drive.boundary("commit", "after");
      if (outcome.outcome === "committed") {
        entry.commit = "done";
        await drive.write(S.OrderPaid, {
          name: "commit",
          status: "SUCCEEDED",
          line: entry.productId,
          upstreamIds: [id],
        });
      } else if (outcome.outcome === "released") {
        entry.commit = "failed";
        drive.log.error(
          { checkout: drive.id, reservation: id },
          "checkout: the hold was released before its commit; the paid order's stock needs reconciliation",
        );
        await drive.write(S.OrderPaid, {
          name: "commit",
          status: "FAILED",
          line: entry.productId,
          upstreamIds: [id],
          detail: "released before the commit: needs reconciliation",
        });
      } else {
        waiting.push(causeOf(outcome.error));
        await drive.write(S.OrderPaid, {
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
  await drive.write(S.StockCommitted, { name: "committed", status: "SUCCEEDED" });
  return null;
}
