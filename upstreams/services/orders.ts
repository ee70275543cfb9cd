import type { Express } from "express";
import { HttpError, IdempotencyStore, intParam, requireBody, requireIdempotencyKey, sendNoStore } from "../kit";
import type { DemoContext } from "../demo";
import type { Order, OrderStatus } from "../wire";

const STATUSES: readonly OrderStatus[] = ["pending", "paid", "failed", "cancelled", "shipped"];
const isStatus = (value: unknown): value is OrderStatus => STATUSES.includes(value as OrderStatus);
const newestFirst = (a: Order, b: Order): number => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

/** Orders: newest first, created idempotently. Never cacheable. */
export function ordersRoutes({ data, now }: DemoContext) {
  const byId = new Map(data.orders.map((o) => [o.id, o]));
  const idempotency = new IdempotencyStore<Order>();
  const find = (id: string): Order => {
    const order = byId.get(id);
    if (!order) throw new HttpError(404, "NOT_FOUND", `no order ${id}`);
    return order;
  };

  return (app: Express): void => {
    app.get("/orders", (req, res) => {
      const limit = intParam(req, "limit", 20, 1, 100);
      const userId = req.query.userId ? String(req.query.userId) : undefined;
      const status = req.query.status;
      if (status !== undefined && !isStatus(status)) throw new HttpError(400, "INVALID_QUERY", "unknown status");
      const cursor = req.query.cursor ? String(req.query.cursor) : undefined;
      const matching = data.orders
        .filter((o) => (!userId || o.userId === userId) && (!status || o.status === status))
        .sort(newestFirst);
      const start = cursor ? matching.findIndex((o) => o.id === cursor) + 1 : 0;
      if (cursor && start === 0) throw new HttpError(400, "INVALID_CURSOR", "unknown cursor");
      const items = matching.slice(start, start + limit);
      const nextCursor = start + limit < matching.length ? (items.at(-1)?.id ?? null) : null;
      sendNoStore(res, 200, { items, nextCursor });
    });
    app.post("/orders", (req, res) => {
      const key = requireIdempotencyKey(req);
      const { userId, items, currency, paymentId, reservationIds } = requireBody(req);
      const validItems =
        Array.isArray(items) &&
        items.length > 0 &&
        items.every(
          (i: Record<string, unknown>) =>
            typeof i.productId === "string" &&
            Number.isInteger(i.quantity) &&
            (i.quantity as number) >= 1 &&
            Number.isInteger(i.unitPriceCents),
        );
      if (
        typeof userId !== "string" ||
        typeof currency !== "string" ||
        typeof paymentId !== "string" ||
        !Array.isArray(reservationIds) ||
        !validItems
      ) {
        throw new HttpError(
          400,
          "INVALID_BODY",
          "userId, currency, paymentId, reservationIds and at least one valid item are required",
        );
      }
      const lines = items as Order["items"];
      const { result, replayed } = idempotency.run(key, () => {
        const order: Order = {
          id: `o-${String(data.orders.length + 1).padStart(6, "0")}`,
          userId,
          status: "pending",
          currency,
          paymentId,
          items: lines.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
          totalCents: lines.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
          createdAt: new Date(now()).toISOString(),
        };
        data.orders.push(order);
        byId.set(order.id, order);
        return order;
      });
      sendNoStore(res, replayed ? 200 : 201, result);
    });
    app.get("/orders/:id", (req, res) => sendNoStore(res, 200, find(req.params.id)));
    app.patch("/orders/:id", (req, res) => {
      const order = find(req.params.id);
      const { status } = requireBody(req);
      if (!isStatus(status)) throw new HttpError(400, "INVALID_BODY", "unknown status");
      order.status = status;
      sendNoStore(res, 200, order);
    });
  };
}
