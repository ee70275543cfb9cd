import type { CheckoutSources } from "../../checkout/ports";
import type { ProductModel } from "../../datasources/catalog/catalog.model";
import type { CommitOutcome, ReleaseOutcome, ReserveOutcome } from "../../datasources/inventory/inventory.model";
import type { OrderModel, OrderStatusModel, OrderWriteOutcome } from "../../datasources/orders/orders.model";
import type { ChargeOutcome, RefundOutcome } from "../../datasources/payments/payments.model";
import { UpstreamError } from "../../src/errors/upstream-error";

/** No answer from a service: what a datasource reports when a write's fate is unknown. */
export const noAnswer = (service: "inventory" | "payments" | "orders") => ({
  outcome: "unknown" as const,
  error: new UpstreamError(service, "timeout"),
});

/** What a step answers next; `undefined` means the normal (successful) answer. */
export interface Script {
  reserve?: Array<ReserveOutcome | undefined>;
  charge?: Array<ChargeOutcome | undefined>;
  createOrder?: Array<OrderWriteOutcome | undefined>;
  setStatus?: Array<OrderWriteOutcome | undefined>;
  commit?: Array<CommitOutcome | undefined>;
  release?: Array<ReleaseOutcome | undefined>;
  refund?: Array<RefundOutcome | undefined>;
}

/**
 * Plain-object datasources for checkout's unit tests: upstreams that behave (idempotent by key, like
 * the real ones), unless `script` says otherwise for the next call of a step. `calls` lists every write.
 */
export function fakeCheckoutSources(script: Script = {}, prices: Record<string, number> = {}) {
  const calls: string[] = [];
  const next = <T>(queue: Array<T | undefined> | undefined): T | undefined => queue?.shift();
  const order = (id: string, status: OrderStatusModel): OrderModel => ({
    id,
    userId: "u-1",
    status,
    items: [],
    total: { amount: 0, currency: "USD" },
    paymentId: "pay-1",
    createdAt: "2026-11-20T10:15:00.000Z",
  });
  const sources: CheckoutSources = {
    catalog: {
      findProduct: async (id) =>
        id.startsWith("missing")
          ? null
          : ({ id, price: { amount: prices[id] ?? 1000, currency: "USD" } } as ProductModel),
    },
    inventory: {
      reserve: async (productId, quantity, key) => {
        calls.push(`reserve ${productId} x${quantity} [${key}]`);
        return (
          next(script.reserve) ?? {
            outcome: "reserved",
            reservation: { id: `res-${productId}`, productId, quantity, status: "held" },
          }
        );
      },
      commit: async (id) => {
        calls.push(`commit ${id}`);
        return next(script.commit) ?? { outcome: "committed" };
      },
      release: async (id) => {
        calls.push(`release ${id}`);
        return next(script.release) ?? { outcome: "released" };
      },
    },
    payments: {
      charge: async (request, key) => {
        calls.push(`charge ${request.amountCents} ${request.reference} [${key}]`);
        return (
          next(script.charge) ?? {
            outcome: "charged",
            payment: {
              id: "pay-1",
              status: "succeeded",
              amount: { amount: request.amountCents, currency: request.currency },
            },
          }
        );
      },
      refund: async (id) => {
        calls.push(`refund ${id}`);
        return (
          next(script.refund) ?? {
            outcome: "refunded",
            payment: { id, status: "refunded", amount: { amount: 0, currency: "USD" } },
          }
        );
      },
    },
    orders: {
      createOrder: async (_order, key) => {
        calls.push(`create_order [${key}]`);
        return next(script.createOrder) ?? { outcome: "done", order: order("o-1", "pending") };
      },
      setStatus: async (id, status) => {
        calls.push(`set_status ${id} ${status}`);
        return next(script.setStatus) ?? { outcome: "done", order: order(id, status) };
      },
    },
  };
  return { sources, calls };
}
