import type DataLoader from "dataloader";
import { perIdLoader } from "../shared/fan-out";
import { money } from "../shared/money.model";
import { nullIfNotFound } from "../shared/not-found";
import type { SourceDeps } from "../shared/source-deps";
import { ORDER_ID } from "./orders.ids";
import type { NewOrderDto, OrderDto, OrderListDto } from "./orders.dto";
import { writeOutcome } from "../shared/write-outcome";
import type {
  NewOrder,
  OrderModel,
  OrderPage,
  OrderQuery,
  OrderStatusModel,
  OrdersSource,
  OrderWriteOutcome,
} from "./orders.model";

const toOrder = (dto: OrderDto): OrderModel => ({
  id: dto.id,
  userId: dto.userId,
  status: dto.status,
  items: dto.items.map((item) => ({
    productId: item.productId,
    quantity: item.quantity,
    unitPrice: money(item.unitPriceCents, dto.currency),
  })),
  total: money(dto.totalCents, dto.currency),
  paymentId: dto.paymentId ?? null,
  createdAt: dto.createdAt,
});

/** Orders service client, built per request. Orders are `no-store` and personal: never cached across requests. */
export class OrdersApi implements OrdersSource {
  private readonly orders: DataLoader<string, OrderModel | null>;
  /** Pages asked for in this request, by query; a write forgets them. */
  private readonly pages = new Map<string, Promise<OrderPage>>();

  constructor(private readonly deps: SourceDeps) {
    this.orders = perIdLoader(deps.fanOutWidth, (id) => this.fetchOrder(id));
  }

  /** An id that is not an order id is null at once (no call). */
  findOrder(id: string): Promise<OrderModel | null> {
    return ORDER_ID.test(id) ? this.orders.load(id) : Promise.resolve(null);
  }

  /**
   * A page of orders. The same page asked twice in a request is one call: a parent that starts
   * it early (look-ahead, resolvers/shared/look-ahead.ts) and the field that reads it meet here.
   */
  listOrders(query: OrderQuery): Promise<OrderPage> {
    const key = `${query.limit}\n${query.cursor ?? ""}\n${query.userId ?? ""}\n${query.status ?? ""}`;
    let page = this.pages.get(key);
    if (!page) this.pages.set(key, (page = this.fetchPage(query)));
    return page;
  }

  /** A write with an Idempotency-Key; a 4xx is `refused`. */
  createOrder(order: NewOrder, idempotencyKey: string): Promise<OrderWriteOutcome> {
    const body: NewOrderDto = { ...order, reservationIds: [...order.reservationIds], items: [...order.items] };
    return writeOutcome<OrderWriteOutcome>(
      () =>
        this.deps.http.request<OrderDto>({ method: "POST", path: "/orders", body, idempotencyKey }).then((res) => {
          this.pages.clear();
          return { outcome: "done" as const, order: toOrder(res.data as OrderDto) };
        }),
      ({ code }) => ({ outcome: "refused" as const, code }),
    );
  }

  /** Repeatable: setting a status is the same however often it is done. */
  setStatus(id: string, status: OrderStatusModel): Promise<OrderWriteOutcome> {
    return writeOutcome<OrderWriteOutcome>(
      () =>
        this.deps.http
          .request<OrderDto>({
            method: "PATCH",
            path: `/orders/${encodeURIComponent(id)}`,
            body: { status },
            repeatable: true,
          })
          .then((res) => {
            const order = toOrder(res.data as OrderDto);
            this.orders.clear(id).prime(id, order);
            this.pages.clear();
            return { outcome: "done" as const, order };
          }),
      ({ code }) => ({ outcome: "refused" as const, code }),
    );
  }

  private async fetchPage(query: OrderQuery): Promise<OrderPage> {
    const body = await this.deps.http.get<OrderListDto>("/orders", {
      limit: query.limit,
      cursor: query.cursor,
      userId: query.userId,
      status: query.status,
    });
    const items = body.items.map(toOrder);
    items.forEach((order) => this.orders.prime(order.id, order));
    return { items, nextCursor: body.nextCursor };
  }

  private async fetchOrder(id: string): Promise<OrderModel | null> {
    const dto = await nullIfNotFound(this.deps.http.get<OrderDto>(`/orders/${encodeURIComponent(id)}`));
    return dto && toOrder(dto);
  }
}
