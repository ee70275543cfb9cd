import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import { Role } from "../../schema/accounts/role.enum";
import { User } from "../../schema/accounts/user.type";
import { OrderConnection } from "../../schema/orders/order-connection.type";
import { Access } from "../../schema/shared/access";
import { CacheHint } from "../../schema/shared/cache-control";
import { Cost, pagedList } from "../../schema/shared/cost";
import type { Context } from "../../src/context";
import { decodeCursor, pageInfo } from "../shared/cursor";
import type { OrderConnectionModel } from "../orders/order.resolver";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";

@Resolver(() => User)
export class UserResolver {
  @Directive(CacheHint.personal)
  @Query(() => User, { nullable: true, description: "The caller's own account; null for anonymous callers.", complexity: Cost.upstream })
  me(@Ctx() { dataSources, viewer }: Context): MaybePromise<UserModel | null> | null {
    return viewer && dataSources.accounts.findUser(viewer.id);
  }

  @Authorized(Access.self({ argument: "id" }), Access.Admin)
  @Query(() => User, { nullable: true, complexity: Cost.upstream })
  user(@Arg("id", () => ID) id: string, @Ctx() { dataSources }: Context): MaybePromise<UserModel | null> {
    return dataSources.accounts.findUser(id);
  }

  @Authorized(Access.self({ parent: "id" }), Access.Admin)
  @FieldResolver(() => Role, { nullable: true })
  role(@Root() user: UserModel): Role {
    return user.role === "admin" ? Role.ADMIN : Role.CUSTOMER;
  }

  @Authorized(Access.self({ parent: "id" }), Access.Admin)
  @FieldResolver(() => OrderConnection, { nullable: true, complexity: pagedList(10) })
  async orders(
    @Root() user: UserModel,
    @Arg("first", () => Int, { nullable: true, defaultValue: 10 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() { dataSources }: Context,
  ): Promise<OrderConnectionModel> {
    const page = await dataSources.orders.listOrders({ limit: first, cursor: decodeCursor(after), userId: user.id });
    return { nodes: page.items, pageInfo: pageInfo(page.nextCursor) };
  }
}
