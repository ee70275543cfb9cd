import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, Directive, FieldResolver, ID, Info, Int, Resolver, Root } from "type-graphql";
import type { CategoryModel, ProductModel } from "../../datasources/catalog/catalog.model";
import type { StockModel } from "../../datasources/inventory/inventory.model";
import type { RatingModel, ReviewModel } from "../../datasources/reviews/reviews.model";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";
import type { MoneyModel } from "../../datasources/shared/money.model";
import { Category } from "../../schema/catalog/category.type";
import { ProductConnection } from "../../schema/catalog/product-connection.type";
import { Product } from "../../schema/catalog/product.type";
import { RatingSummary } from "../../schema/catalog/rating-summary.type";
import { Review } from "../../schema/catalog/review.type";
import { Stock } from "../../schema/catalog/stock.type";
import { Access } from "../../schema/shared/access";
import { CacheHint } from "../../schema/shared/cache-control";
import type { CountedConnectionModel } from "../../schema/shared/connection.type";
import { Cost, pagedList } from "../../schema/shared/cost";
import { Money } from "../../schema/shared/money.type";
import { PageArgs, type PageArgsModel } from "../../schema/shared/page.args";
import type { Context } from "../../src/context";
import { BadUserInputError } from "../../src/errors/bff-errors";
import { pageQuery, toConnection } from "../shared/connection";
import { childArguments, selects, startEarly } from "../shared/look-ahead";
import { orFallback } from "../shared/degrade";
import { UpstreamField, UpstreamQuery } from "../shared/upstream-field";

const ProductsPage = PageArgs(20);

/** Product queries, and the product fields other services serve (joined per request through DataLoaders). */
@Resolver(() => Product)
export class ProductResolver {
  @UpstreamQuery(() => Product, {
    nullable: true,
    description: "Null when no product has this id.",
    service: ["catalog", "inventory", "reviews"],
    cost: Cost.upstream,
    cache: "catalog",
  })
  product(
    @Arg("id", () => ID) id: string,
    @Ctx() { dataSources }: Context,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<ProductModel | null> {
    const product = dataSources.catalog.findProduct(id);
    if (product instanceof Promise) {
      // Stock, rating and reviews need only the id: asked beside the product, not after it (look-ahead).
      if (selects(info, "stock")) startEarly(() => dataSources.inventory.findStock(id));
      if (selects(info, "rating")) startEarly(() => dataSources.reviews.findRating(id));
      for (const { first } of childArguments<{ first: number }>(info, "reviews"))
        startEarly(() => dataSources.reviews.listReviews(id, first));
    }
    return product;
  }

  @UpstreamQuery(() => ProductConnection, {
    description: "In the catalog's order (by id).",
    service: "catalog",
    cost: pagedList(ProductsPage.defaultFirst),
    cache: "catalog",
  })
  async products(
    @Args(() => ProductsPage) page: PageArgsModel,
    @Arg("categoryId", () => ID, { nullable: true }) categoryId: string | null,
    @Arg("search", () => String, { nullable: true }) search: string | null,
    @Ctx() { dataSources }: Context,
  ): Promise<CountedConnectionModel<ProductModel>> {
    if (typeof categoryId === "string" && !dataSources.catalog.isCategoryId(categoryId)) {
      // an omitted argument is undefined, not null
      throw new BadUserInputError(
        `Query.products(categoryId:) must be a category id such as "c-01", got ${JSON.stringify(categoryId)}`,
        { argument: "categoryId" },
      );
    }
    return toConnection(
      await dataSources.catalog.listProducts({
        ...pageQuery(page),
        categoryId: categoryId ?? undefined,
        search: search ?? undefined,
      }),
    );
  }

  @Authorized(Access.Admin)
  @UpstreamQuery(() => [Product], {
    nullable: true,
    description: "Products whose available stock is at or below threshold, lowest first.",
    service: ["inventory", "catalog"],
    cost: pagedList(20, 2 * Cost.upstream),
    cache: "none",
  })
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

  @UpstreamField(() => Category, {
    nullable: true,
    service: "catalog",
    cost: Cost.upstream,
    cache: "catalog",
  })
  category(@Root() product: ProductModel, @Ctx() { dataSources }: Context): MaybePromise<CategoryModel | null> {
    return dataSources.catalog.findCategory(product.categoryId);
  }

  @UpstreamField(() => Stock, {
    nullable: true,
    description: "From the inventory service. Null, with an error, when inventory cannot be reached.",
    service: "inventory",
    cost: Cost.upstream,
    cache: "inventory",
  })
  stock(@Root() product: ProductModel, @Ctx() { dataSources }: Context): MaybePromise<StockModel | null> {
    return dataSources.inventory.findStock(product.id); // Stock.inStock is derived by its own resolver
  }

  /** Non-null in the contract: when reviews is down it is empty, with the error at its path. */
  @UpstreamField(() => [Review], {
    description: "Newest first.",
    service: "reviews",
    cost: pagedList(5),
    cache: "reviews",
  })
  reviews(
    @Root() product: ProductModel,
    @Arg("first", () => Int, { nullable: true, defaultValue: 5 }) first: number,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): MaybePromise<readonly ReviewModel[]> {
    return orFallback(ctx.dataSources.reviews.listReviews(product.id, first), [], ctx, info);
  }

  @UpstreamField(() => RatingSummary, {
    nullable: true,
    description: "Null when the product has no reviews.",
    service: "reviews",
    cost: Cost.upstream,
    cache: "reviews",
  })
  rating(@Root() product: ProductModel, @Ctx() { dataSources }: Context): MaybePromise<RatingModel | null> {
    return dataSources.reviews.findRating(product.id);
  }
}
