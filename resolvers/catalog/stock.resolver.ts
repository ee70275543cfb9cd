import { FieldResolver, Resolver, Root } from "type-graphql";
import type { StockModel } from "../../datasources/inventory/inventory.model";
import { Stock } from "../../schema/catalog/stock.type";

/** A stock level as inventory reports it; whether it is in stock is derived here. */
@Resolver(() => Stock)
export class StockResolver {
  @FieldResolver(() => Boolean)
  inStock(@Root() stock: StockModel): boolean {
    return stock.available > 0;
  }
}
