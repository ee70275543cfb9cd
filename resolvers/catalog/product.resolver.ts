import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { CategoryModel, ProductModel } from "../../datasources/catalog/catalog.model";
import type { StockModel } from "../../datasources/inventory/inventory.model";
import type { RatingModel, ReviewModel } from "../../datasources/reviews/reviews.model";
import type { MoneyModel } from "../../datasources/shared/money.model";
import { Category } from "../../schema/catalog/category.type";
import { ProductConnection } from "../../schema/catalog/product-connection.type";
import { Product } from "../../schema/catalog/product.type";
import { RatingSummary } from "../../schema/catalog/rating-summary.type";
import { Review } from "../../schema/catalog/review.type";
import { Stock } from "../../schema/catalog/stock.type";
import { Access } from "../../schema/shared/access";
import { CacheHint } from "../../schema/shared/cache-control";
import { Cost, pagedList } from "../../schema/shared/cost";
import { Money } from "../../schema/shared/money.type";
import type { Context } from "../../src/context";
import { BadUserInputError } from "../../src/errors/bff-errors";
import { decodeCursor, pageInfo } from "../shared/cursor";
import { orFallback } from "../shared/degrade";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";

export interface ProductConnectionModel {
  readonly nodes: readonly ProductModel[];
  readonly pageInfo: ReturnType<typeof pageInfo>;
  readonly totalCount: number;
}

/** Product queries, and the product fields other services serve (joined per request through DataLoaders). */
@Resolver(() => Product)
export class ProductResolver {
  @Directive(CacheHint.catalog)
  @Query(() => Product, { nullable: true, description: "Null when no product has this id.", complexity: Cost.upstream })
  product(@Arg("id", () => ID) id: string, @Ctx() { dataSources }: Context): MaybePromise<ProductModel | null> {
    return dataSources.catalog.findProduct(id);
  }

  @Directive(CacheHint.catalog)
  @Query(() => ProductConnection, { description: "In the catalog's order (by id).", complexity: pagedList(20) })
  async products(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("categoryId", () => ID, { nullable: true }) categoryId: string | null,
    @Arg("search", () => String, { nullable: true }) search: string | null,
    @Ctx() { dataSources }: Context,
  ): Promise<ProductConnectionModel> {
    if (typeof categoryId === "string" && !dataSources.catalog.isCategoryId(categoryId)) { // an omitted argument is undefined, not null
      throw new BadUserInputError(`Query.products(categoryId:) must be a category id such as "c-01", got ${JSON.stringify(categoryId)}`, { argument: "categoryId" });
    }
    const page = await dataSources.catalog.listProducts({
      limit: first, cursor: decodeCursor(after), categoryId: categoryId ?? undefined, search: search ?? undefined,
    });
    return { nodes: page.items, pageInfo: pageInfo(page.nextCursor), totalCount: page.total };
  }

  @Authorized(Access.Admin)
  @Query(() => [Product], { nullable: true, description: "Products whose available stock is at or below threshold, lowest first.", complexity: pagedList(20, 2 * Cost.upstream) })
  async lowStock(
    @Arg("threshold", () => Int, { nullable: true, defaultValue: 5 }) threshold: number,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Ctx() { dataSources }: Context,
  ): Promise<ProductModel[]> {
    const levels = await dataSources.inventory.listLowStock(threshold, first);
    const products = await Promise.all(levels.map((level) => dataSources.catalog.findProduct(level.productId)));
    return products.filter((p): p is ProductModel => p !== null);
  }

  @Directive(CacheHint.inherit)
  @FieldResolver(() => Money)
  price(@Root() product: ProductModel): MoneyModel {
    return product.price;
  }

  @Authorized(Access.Admin)
  @FieldResolver(() => Money, { nullable: true })
  costPrice(@Root() product: ProductModel): MoneyModel {
    return product.cost;
  }

  @Directive(CacheHint.catalog)
  @FieldResolver(() => Category, { nullable: true, complexity: Cost.upstream })
  category(@Root() product: ProductModel, @Ctx() { dataSources }: Context): MaybePromise<CategoryModel | null> {
    return dataSources.catalog.findCategory(product.categoryId);
  }

  @Directive(CacheHint.inventory)
  @FieldResolver(() => Stock, { nullable: true, description: "From the inventory service. Null, with an error, when inventory cannot be reached.", complexity: Cost.upstream })
  stock(@Root() product: ProductModel, @Ctx() { dataSources }: Context): MaybePromise<StockModel | null> {
    return dataSources.inventory.findStock(product.id); // Stock.inStock is derived by its own resolver
  }

  /** Non-null in the contract: when reviews is down it is empty, with the error at its path. */
  @Directive(CacheHint.reviews)
  @FieldResolver(() => [Review], { description: "Newest first.", complexity: pagedList(5) })
  reviews(
    @Root() product: ProductModel,
    @Arg("first", () => Int, { nullable: true, defaultValue: 5 }) first: number,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<readonly ReviewModel[]> {
    return orFallback(ctx.dataSources.reviews.listReviews(product.id, first), [], ctx, info);
  }

  @Directive(CacheHint.reviews)
  @FieldResolver(() => RatingSummary, { nullable: true, description: "Null when the product has no reviews.", complexity: Cost.upstream })
  rating(@Root() product: ProductModel, @Ctx() { dataSources }: Context): MaybePromise<RatingModel | null> {
    return dataSources.reviews.findRating(product.id);
  }
}
