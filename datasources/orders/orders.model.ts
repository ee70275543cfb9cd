import type { UnknownOutcome } from "../shared/write-outcome";
import type { MoneyModel } from "../shared/money.model";

export type OrderStatusModel = "pending" | "paid" | "failed" | "cancelled" | "shipped";

export interface OrderItemModel {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: MoneyModel;
}

export interface OrderModel {
  readonly id: string;
  /** The owner: the schema shows an order to this user and to admins only. */
  readonly userId: string;
  readonly status: OrderStatusModel;
  readonly items: readonly OrderItemModel[];
  readonly total: MoneyModel;
  readonly paymentId: string | null;
  readonly createdAt: string;
}

export interface OrderPage {
  readonly items: readonly OrderModel[];
  readonly nextCursor: string | null;
}

export interface OrderQuery {
  readonly limit: number;
  readonly cursor?: string;
  readonly userId?: string;
  readonly status?: OrderStatusModel;
}

export interface NewOrder {
  readonly userId: string;
  readonly currency: string;
  readonly paymentId: string;
  readonly reservationIds: readonly string[];
  readonly items: ReadonlyArray<{ productId: string; quantity: number; unitPriceCents: number }>;
}

/** What creating an order or setting its status came to. `refused`: orders answered a 4xx. */
export type OrderWriteOutcome =
  | { readonly outcome: "done"; readonly order: OrderModel }
  | { readonly outcome: "refused"; readonly code: string | undefined }
  | UnknownOutcome;

export interface OrdersSource {
  findOrder(id: string): Promise<OrderModel | null>;
  listOrders(query: OrderQuery): Promise<OrderPage>;
  /** A replay of the key returns the order first created with it. */
  createOrder(order: NewOrder, idempotencyKey: string): Promise<OrderWriteOutcome>;
  /** Repeatable: setting a status is the same however often it is done. */
  setStatus(id: string, status: OrderStatusModel): Promise<OrderWriteOutcome>;
}
