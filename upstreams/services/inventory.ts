import type { Express } from "express";
import {
  HttpError,
  IdempotencyStore,
  idList,
  intParam,
  requireBody,
  requireIdempotencyKey,
  sendNoStore,
  sendPublic,
} from "../kit";
import type { SeedData } from "../seed";
import type { Reservation, StockRecord } from "../wire";
import type { DemoContext } from "../demo";

const MAX_AGE = 5;

/** Inventory state, exposed on the service handle so tests can check that no stock stays held. */
export class InventoryState {
  readonly reservations = new Map<string, Reservation>();
  private readonly stock: Map<string, StockRecord>;

  constructor(
    data: SeedData,
    private readonly now: () => number,
  ) {
    this.stock = new Map(data.stock.map((s) => [s.productId, s]));
  }

  record(productId: string): StockRecord | undefined {
    return this.stock.get(productId);
  }

  /** Held quantity per product; expired holds are released first. */
  reserved(productId: string): number {
    let total = 0;
    for (const r of this.reservations.values()) {
      if (r.status === "held" && Date.parse(r.expiresAt) <= this.now()) r.status = "released";
      if (r.status === "held" && r.productId === productId) total += r.quantity;
    }
    return total;
  }

  level(record: StockRecord) {
    const reserved = this.reserved(record.productId);
    return { productId: record.productId, available: record.onHand - reserved, reserved, updatedAt: record.updatedAt };
  }

  levels() {
    return [...this.stock.values()].map((s) => this.level(s));
  }

  held(): Reservation[] {
    return [...this.reservations.values()].filter((r) => r.status === "held" && Date.parse(r.expiresAt) > this.now());
  }
}

/** Inventory: stock levels (public for 5 s) and reservations that hold stock. */
export function inventoryRoutes({ inventory: state, now, webhooks }: DemoContext) {
  const notify = (type: string, body: Record<string, unknown>): void => webhooks.send(type, body);
  const idempotency = new IdempotencyStore<Reservation>();
  const find = (id: string): Reservation => {
    const reservation = state.reservations.get(id);
    if (!reservation) throw new HttpError(404, "NOT_FOUND", `no reservation ${id}`);
    state.reserved(reservation.productId); // applies expiry
    return reservation;
  };

  return (app: Express): void => {
    app.get("/stock", (req, res) => {
      const ids = idList(req, "productIds") ?? [];
      const items = ids.flatMap((id) => {
        const r = state.record(id);
        return r ? [state.level(r)] : [];
      });
      sendPublic(req, res, { items }, MAX_AGE);
    });
    app.get("/stock/low", (req, res) => {
      const threshold = intParam(req, "threshold", 5, -1_000_000, 1_000_000);
      const limit = intParam(req, "limit", 20, 1, 100);
      const items = state
        .levels()
        .filter((l) => l.available <= threshold)
        .sort((a, b) => a.available - b.available || a.productId.localeCompare(b.productId))
        .slice(0, limit);
      sendPublic(req, res, { items }, MAX_AGE);
    });
    app.post("/reservations", (req, res) => {
      const key = requireIdempotencyKey(req);
      const { productId, quantity, ttlSeconds = 600 } = requireBody(req);
      if (typeof productId !== "string" || !Number.isInteger(quantity) || (quantity as number) < 1) {
        throw new HttpError(400, "INVALID_BODY", "productId and a positive integer quantity are required");
      }
      const { result, replayed } = idempotency.run(key, () => {
        const record = state.record(productId);
        if (!record) throw new HttpError(404, "NOT_FOUND", `no stock for ${productId}`);
        const available = state.level(record).available;
        if (available < (quantity as number))
          throw new HttpError(409, "OUT_OF_STOCK", `only ${available} of ${productId} available`);
        const reservation: Reservation = {
          id: `res-${String(state.reservations.size + 1).padStart(6, "0")}`,
          productId,
          quantity: quantity as number,
          status: "held",
          expiresAt: new Date(now() + Number(ttlSeconds) * 1000).toISOString(),
        };
        state.reservations.set(reservation.id, reservation);
        notify("stock.changed", { productIds: [productId] });
        return reservation;
      });
      sendNoStore(res, replayed ? 200 : 201, result);
    });
    app.post("/reservations/:id/commit", (req, res) => {
      const reservation = find(req.params.id);
      if (reservation.status === "released")
        throw new HttpError(409, "RESERVATION_RELEASED", "the reservation was released");
      if (reservation.status === "held") {
        const record = state.record(reservation.productId);
        if (record) {
          record.onHand -= reservation.quantity;
          record.updatedAt = new Date(now()).toISOString();
        }
        reservation.status = "committed";
        notify("stock.changed", { productIds: [reservation.productId] });
      }
      sendNoStore(res, 200, reservation);
    });
    app.delete("/reservations/:id", (req, res) => {
      const reservation = find(req.params.id);
      if (reservation.status === "committed")
        throw new HttpError(409, "RESERVATION_COMMITTED", "the reservation was committed");
      if (reservation.status === "held") notify("stock.changed", { productIds: [reservation.productId] });
      reservation.status = "released";
      sendNoStore(res, 204);
    });
  };
}
