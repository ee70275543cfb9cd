import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Resolver, Root } from "type-graphql";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import type { OrderModel, OrderQuery, OrdersSource } from "../../datasources/orders/orders.model";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";
import { Role } from "../../schema/accounts/role.enum";
import { User } from "../../schema/accounts/user.type";
import { OrderConnection } from "../../schema/orders/order-connection.type";
import { Access } from "../../schema/shared/access";
import type { ConnectionModel } from "../../schema/shared/connection.type";
import { Cost, pagedList } from "../../schema/shared/cost";
import { PageArgs, type PageArgsModel } from "../../schema/shared/page.args";
import type { Context } from "../../src/context";
import { pageQuery, toConnection } from "../shared/connection";
import { childArguments, startEarly } from "../shared/look-ahead";
import { UpstreamField, UpstreamQuery } from "../shared/upstream-field";

const OrdersPage = PageArgs(10);

@Resolver(() => User)
export class UserResolver {
  @UpstreamQuery(() => User, {
    nullable: true,
    description: "The caller's own account; null for anonymous callers.",
    service: ["accounts", "orders"],
    cost: Cost.upstream,
    cache: "personal",
  })
  me(@Ctx() { dataSources, viewer }: Context, @Info() info: GraphQLResolveInfo): MaybePromise<UserModel | null> | null {
    if (!viewer) return null;
    const user = dataSources.accounts.findUser(viewer.id);
    startOrdersBeside(user, dataSources.orders, viewer.id, info); // the token gives the id
    return user;
  }

  @Authorized(Access.self({ argument: "id" }), Access.Admin)
  @UpstreamQuery(() => User, {
    nullable: true,
    service: ["accounts", "orders"],
    cost: Cost.upstream,
    cache: "none",
  })
  user(
    @Arg("id", () => ID) id: string,
    @Ctx() { dataSources }: Context,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<UserModel | null> {
    const user = dataSources.accounts.findUser(id);
    startOrdersBeside(user, dataSources.orders, id, info); // authorized for this user, so for their orders too
    return user;
  }

  @Authorized(Access.self({ parent: "id" }), Access.Admin)
  @FieldResolver(() => Role, { nullable: true })
  role(@Root() user: UserModel): Role {
    return user.role === "admin" ? Role.ADMIN : Role.CUSTOMER;
  }

  @Authorized(Access.self({ parent: "id" }), Access.Admin)
  @UpstreamField(() => OrderConnection, {
    nullable: true,
    service: "orders",
    cost: pagedList(OrdersPage.defaultFirst),
    cache: "none",
  })
  async orders(
    @Root() user: UserModel,
    @Args(() => OrdersPage) page: PageArgsModel,
    @Ctx() { dataSources }: Context,
  ): Promise<ConnectionModel<OrderModel>> {
    return toConnection(await dataSources.orders.listOrders(ordersOf(user.id, page)));
  }
}

/** The orders query of `User.orders`, made the same way by the field and by a parent's look-ahead. */
const ordersOf = (userId: string, page: PageArgsModel): OrderQuery => ({ ...pageQuery(page), userId });

/**
 * Look-ahead for `me` and `user(id:)`: the user's orders need only the id, so while the account
 * goes upstream, the pages the query selects are asked beside it, not after it.
 */
function startOrdersBeside(
  user: MaybePromise<UserModel | null>,
  orders: OrdersSource,
  userId: string,
  info: GraphQLResolveInfo,
): void {
  if (user instanceof Promise)
    for (const page of childArguments<PageArgsModel>(info, "orders"))
      startEarly(() => orders.listOrders(ordersOf(userId, page)));
}
