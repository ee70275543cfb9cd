import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import type { OrderModel } from "../../datasources/orders/orders.model";
import type { PaymentModel } from "../../datasources/payments/payments.model";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";
import { User } from "../../schema/accounts/user.type";
import { OrderConnection } from "../../schema/orders/order-connection.type";
import { OrderStatus } from "../../schema/orders/order-status.enum";
import { Order } from "../../schema/orders/order.type";
import { Payment } from "../../schema/orders/payment.type";
import { Access } from "../../schema/shared/access";
import type { ConnectionModel } from "../../schema/shared/connection.type";
import { Cost, pagedList } from "../../schema/shared/cost";
import { PageArgs, type PageArgsModel } from "../../schema/shared/page.args";
import type { Context } from "../../src/context";
import { ForbiddenError, NotFoundError } from "../../src/errors/bff-errors";
import { pageQuery, toConnection } from "../shared/connection";
import { UpstreamField, UpstreamQuery } from "../shared/upstream-field";

const OrdersPage = PageArgs(20);

/** Orders are no-store upstream: no order field has a cache hint ("none"). */
@Resolver(() => Order)
export class OrderResolver {
  /** Owner or admin. FORBIDDEN for another user's order, NOT_FOUND for none (ownership needs the order first). */
  @Authorized()
  @UpstreamQuery(() => Order, {
    nullable: true,
    service: "orders",
    cost: Cost.upstream,
    cache: "none",
  })
  async order(@Arg("id", () => ID) id: string, @Ctx() { dataSources, viewer }: Context): Promise<OrderModel> {
    const order = await dataSources.orders.findOrder(id);
    if (!order) throw new NotFoundError(`No order ${id}`);
    if (viewer?.role !== "admin" && order.userId !== viewer?.id)
      throw new ForbiddenError("Orders are visible only to their owner and to admins");
    return order;
  }

  @Authorized(Access.Admin)
  @UpstreamQuery(() => OrderConnection, {
    nullable: true,
    service: "orders",
    cost: pagedList(OrdersPage.defaultFirst),
    cache: "none",
  })
  async orders(
    @Args(() => OrdersPage) page: PageArgsModel,
    @Arg("status", () => OrderStatus, { nullable: true }) status: OrderStatus | null,
    @Ctx() { dataSources }: Context,
  ): Promise<ConnectionModel<OrderModel>> {
    const upstreamStatus = status ? (status.toLowerCase() as OrderModel["status"]) : undefined;
    return toConnection(await dataSources.orders.listOrders({ ...pageQuery(page), status: upstreamStatus }));
  }

  @FieldResolver(() => OrderStatus)
  status(@Root() order: OrderModel): OrderStatus {
    return order.status.toUpperCase() as OrderStatus;
  }

  @UpstreamField(() => User, {
    nullable: true,
    service: "accounts",
    cost: Cost.upstream,
    cache: "none",
  })
  customer(@Root() order: OrderModel, @Ctx() { dataSources }: Context): MaybePromise<UserModel | null> {
    return dataSources.accounts.findUser(order.userId);
  }

  @UpstreamField(() => Payment, {
    nullable: true,
    service: "payments",
    cost: Cost.upstream,
    cache: "none",
  })
  payment(@Root() order: OrderModel, @Ctx() { dataSources }: Context): Promise<PaymentModel | null> | null {
    return order.paymentId === null ? null : dataSources.payments.findPayment(order.paymentId);
  }
}
