import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import type { OrderModel } from "../../datasources/orders/orders.model";
import type { PaymentModel } from "../../datasources/payments/payments.model";
import { User } from "../../schema/accounts/user.type";
import { OrderConnection } from "../../schema/orders/order-connection.type";
import { OrderStatus } from "../../schema/orders/order-status.enum";
import { Order } from "../../schema/orders/order.type";
import { Payment } from "../../schema/orders/payment.type";
import { Access } from "../../schema/shared/access";
import { Cost, pagedList } from "../../schema/shared/cost";
import type { Context } from "../../src/context";
import { ForbiddenError, NotFoundError } from "../../src/errors/bff-errors";
import { decodeCursor, pageInfo } from "../shared/cursor";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";

export interface OrderConnectionModel {
  readonly nodes: readonly OrderModel[];
  readonly pageInfo: ReturnType<typeof pageInfo>;
}

@Resolver(() => Order)
export class OrderResolver {
  /** Owner or admin. FORBIDDEN for another user's order, NOT_FOUND for none (ownership needs the order first). */
  @Authorized()
  @Query(() => Order, { nullable: true, complexity: Cost.upstream })
  async order(@Arg("id", () => ID) id: string, @Ctx() { dataSources, viewer }: Context): Promise<OrderModel> {
    const order = await dataSources.orders.findOrder(id);
    if (!order) throw new NotFoundError(`No order ${id}`);
    if (viewer?.role !== "admin" && order.userId !== viewer?.id) throw new ForbiddenError("Orders are visible only to their owner and to admins");
    return order;
  }

  @Authorized(Access.Admin)
  @Query(() => OrderConnection, { nullable: true, complexity: pagedList(20) })
  async orders(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("status", () => OrderStatus, { nullable: true }) status: OrderStatus | null,
    @Ctx() { dataSources }: Context,
  ): Promise<OrderConnectionModel> {
    const page = await dataSources.orders.listOrders({
      limit: first, cursor: decodeCursor(after), status: status ? (status.toLowerCase() as OrderModel["status"]) : undefined,
    });
    return { nodes: page.items, pageInfo: pageInfo(page.nextCursor) };
  }

  @FieldResolver(() => OrderStatus)
  status(@Root() order: OrderModel): OrderStatus {
    return order.status.toUpperCase() as OrderStatus;
  }

  @FieldResolver(() => User, { nullable: true, complexity: Cost.upstream })
  customer(@Root() order: OrderModel, @Ctx() { dataSources }: Context): MaybePromise<UserModel | null> {
    return dataSources.accounts.findUser(order.userId);
  }

  @FieldResolver(() => Payment, { nullable: true, complexity: Cost.upstream })
  payment(@Root() order: OrderModel, @Ctx() { dataSources }: Context): Promise<PaymentModel | null> | null {
    return order.paymentId === null ? null : dataSources.payments.findPayment(order.paymentId);
  }
}
