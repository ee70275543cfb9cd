import { Args, Ctx, Resolver, Root } from "type-graphql";
import type { CategoryModel, ProductModel } from "../../datasources/catalog/catalog.model";
import { Category } from "../../schema/catalog/category.type";
import { ProductConnection } from "../../schema/catalog/product-connection.type";
import type { CountedConnectionModel } from "../../schema/shared/connection.type";
import { Cost, pagedList, sizedList } from "../../schema/shared/cost";
import { PageArgs, type PageArgsModel } from "../../schema/shared/page.args";
import type { Context } from "../../src/context";
import { pageQuery, toConnection } from "../shared/connection";
import { UpstreamField, UpstreamQuery } from "../shared/upstream-field";

const ProductsPage = PageArgs(20);

@Resolver(() => Category)
export class CategoryResolver {
  // One cached call, however many categories.
  @UpstreamQuery(() => [Category], {
    service: "catalog",
    cost: sizedList(1, Cost.upstream),
    cache: "catalog",
  })
  categories(@Ctx() { dataSources }: Context): Promise<readonly CategoryModel[]> {
    return dataSources.catalog.listCategories();
  }

  @UpstreamField(() => ProductConnection, {
    service: "catalog",
    cost: pagedList(ProductsPage.defaultFirst),
    cache: "catalog",
  })
  async products(
    @Root() category: CategoryModel,
    @Args(() => ProductsPage) page: PageArgsModel,
    @Ctx() { dataSources }: Context,
  ): Promise<CountedConnectionModel<ProductModel>> {
    const query = { ...pageQuery(page), categoryId: category.id };
    return toConnection(await dataSources.catalog.listProducts(query));
  }
}
