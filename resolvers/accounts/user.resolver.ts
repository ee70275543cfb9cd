import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import type { OrderModel } from "../../datasources/orders/orders.model";
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
import { UpstreamField, UpstreamQuery } from "../shared/upstream-field";

const OrdersPage = PageArgs(10);

@Resolver(() => User)
export class UserResolver {
  @UpstreamQuery(() => User, {
    nullable: true,
    description: "The caller's own account; null for anonymous callers.",
    service: "accounts",
    cost: Cost.upstream,
    cache: "personal",
  })
  me(@Ctx() { dataSources, viewer }: Context): MaybePromise<UserModel | null> | null {
    return viewer && dataSources.accounts.findUser(viewer.id);
  }

  @Authorized(Access.self({ argument: "id" }), Access.Admin)
  @UpstreamQuery(() => User, {
    nullable: true,
    service: "accounts",
    cost: Cost.upstream,
    cache: "none",
  })
  user(@Arg("id", () => ID) id: string, @Ctx() { dataSources }: Context): MaybePromise<UserModel | null> {
    return dataSources.accounts.findUser(id);
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
    const orders = await dataSources.orders.listOrders({ ...pageQuery(page), userId: user.id });
    return toConnection(orders);
  }
}
