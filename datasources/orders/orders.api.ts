import type DataLoader from "dataloader";
import { perIdLoader } from "../shared/fan-out";
import { money } from "../shared/money.model";
import { nullIfNotFound } from "../shared/not-found";
import type { SourceDeps } from "../shared/source-deps";
import { ORDER_ID } from "./orders.ids";
import type { NewOrderDto, OrderDto, OrderListDto } from "./orders.dto";
import type { NewOrder, OrderModel, OrderPage, OrderQuery, OrderStatusModel, OrdersSource } from "./orders.model";

const toOrder = (dto: OrderDto): OrderModel => ({
  id: dto.id,
  userId: dto.userId,
  status: dto.status,
  items: dto.items.map((item) => ({ productId: item.productId, quantity: item.quantity, unitPrice: money(item.unitPriceCents, dto.currency) })),
  total: money(dto.totalCents, dto.currency),
  paymentId: dto.paymentId ?? null,
  createdAt: dto.createdAt,
});

/** Orders service client, built per request. Orders are `no-store` and personal: never cached across requests. */
export class OrdersApi implements OrdersSource {
  private readonly orders: DataLoader<string, OrderModel | null>;

  constructor(private readonly deps: SourceDeps) {
    this.orders = perIdLoader(deps.fanOutConcurrency, (id) => this.fetchOrder(id));
  }

  /** An id that is not an order id is null at once (no call). */
  findOrder(id: string): Promise<OrderModel | null> {
    return ORDER_ID.test(id) ? this.orders.load(id) : Promise.resolve(null);
  }

  async listOrders(query: OrderQuery): Promise<OrderPage> {
    const body = await this.deps.http.get<OrderListDto>("/orders", { limit: query.limit, cursor: query.cursor, userId: query.userId, status: query.status });
    const items = body.items.map(toOrder);
    items.forEach((order) => this.orders.prime(order.id, order));
    return { items, nextCursor: body.nextCursor };
  }

  async createOrder(order: NewOrder, idempotencyKey: string): Promise<OrderModel> {
    const body: NewOrderDto = { ...order, reservationIds: [...order.reservationIds], items: [...order.items] };
    const res = await this.deps.http.request<OrderDto>({ method: "POST", path: "/orders", body, idempotencyKey });
    return toOrder(res.data as OrderDto);
  }

  /** Repeatable: setting a status is the same however often it is done. */
  async setStatus(id: string, status: OrderStatusModel): Promise<OrderModel> {
    const res = await this.deps.http.request<OrderDto>({ method: "PATCH", path: `/orders/${encodeURIComponent(id)}`, body: { status }, repeatable: true });
    const order = toOrder(res.data as OrderDto);
    this.orders.clear(id).prime(id, order);
    return order;
  }

  private async fetchOrder(id: string): Promise<OrderModel | null> {
    const dto = await nullIfNotFound(this.deps.http.get<OrderDto>(`/orders/${encodeURIComponent(id)}`));
    return dto && toOrder(dto);
  }
}
