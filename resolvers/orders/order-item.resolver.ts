import type { GraphQLResolveInfo } from "graphql";
import { Ctx, Info, Resolver, Root } from "type-graphql";
import type { ProductModel } from "../../datasources/catalog/catalog.model";
import type { OrderItemModel } from "../../datasources/orders/orders.model";
import { Product } from "../../schema/catalog/product.type";
import { OrderItem } from "../../schema/orders/order-item.type";
import { Cost } from "../../schema/shared/cost";
import type { Context } from "../../src/context";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";
import { selects, startEarly } from "../shared/look-ahead";
import { UpstreamField } from "../shared/upstream-field";

@Resolver(() => OrderItem)
export class OrderItemResolver {
  /**
   * Nullable on purpose: when catalog is down (or the product was removed), orders still render.
   * No cache hint: it is read only under an order, which is never cached (orders is no-store).
   */
  @UpstreamField(() => Product, {
    nullable: true,
    service: ["catalog", "inventory"],
    cost: Cost.upstream,
    cache: "none",
  })
  product(
    @Root() item: OrderItemModel,
    @Ctx() { dataSources }: Context,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<ProductModel | null> {
    const product = dataSources.catalog.findProduct(item.productId); // N items -> 1 catalog request
    // The product's stock needs only its id: asked beside the catalog, not after it (look-ahead).
    if (product instanceof Promise && selects(info, "stock"))
      startEarly(() => dataSources.inventory.findStock(item.productId));
    return product;
  }
}
