import { Arg, Ctx, Directive, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { CategoryModel } from "../../datasources/catalog/catalog.model";
import { Category } from "../../schema/catalog/category.type";
import { ProductConnection } from "../../schema/catalog/product-connection.type";
import { CacheHint } from "../../schema/shared/cache-control";
import { Cost, pagedList, sizedList } from "../../schema/shared/cost";
import type { Context } from "../../src/context";
import { decodeCursor, pageInfo } from "../shared/cursor";
import type { ProductConnectionModel } from "./product.resolver";

@Resolver(() => Category)
export class CategoryResolver {
  @Directive(CacheHint.catalog)
  @Query(() => [Category], { complexity: sizedList(1, Cost.upstream) }) // one cached call, however many categories
  categories(@Ctx() { dataSources }: Context): Promise<readonly CategoryModel[]> {
    return dataSources.catalog.listCategories();
  }

  @Directive(CacheHint.catalog)
  @FieldResolver(() => ProductConnection, { complexity: pagedList(20) })
  async products(
    @Root() category: CategoryModel,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() { dataSources }: Context,
  ): Promise<ProductConnectionModel> {
    const page = await dataSources.catalog.listProducts({ limit: first, cursor: decodeCursor(after), categoryId: category.id });
    return { nodes: page.items, pageInfo: pageInfo(page.nextCursor), totalCount: page.total };
  }
}
