import DataLoader from "dataloader";
import { byId, cacheKey, MAX_BATCH, queryString, type SourceDeps } from "../shared/source-deps";
import type { CatalogSource, CategoryModel, ProductModel, ProductPage, ProductQuery } from "./catalog.model";
import type { CategoryListDto, ProductDto, ProductListDto } from "./catalog.dto";
import { toCategory, toProduct } from "./catalog.mapper";

const productKey = (id: string): string => cacheKey("catalog", "product", id);

/**
 * Catalog service client. Built per request; holds this request's loader.
 * Everything it reads is public catalog data, so all of it may use the shared cache (as wire DTOs,
 * so replicas of other versions can share it), fresh for as long as catalog's Cache-Control
 * says (60 s), revalidated by ETag after.
 */
export class CatalogApi implements CatalogSource {
  private readonly products = new DataLoader<string, ProductModel | null>((ids) => this.fetchProducts(ids), { maxBatchSize: MAX_BATCH });
  private categories?: Promise<readonly CategoryModel[]>;

  constructor(private readonly deps: SourceDeps) {}

  /** Batched: every product looked up while resolving one level goes out as one `GET /products?ids=`. */
  findProduct(id: string): Promise<ProductModel | null> {
    return this.products.load(id);
  }

  /** A page of the catalog; its products also answer later `findProduct` calls of this request. */
  async listProducts(query: ProductQuery): Promise<ProductPage> {
    const params = { limit: query.limit, cursor: query.cursor, categoryId: query.categoryId, q: query.search };
    const key = cacheKey("catalog", "products", queryString(params));
    const body = await this.deps.cache.resource<ProductListDto>("catalog", key, (etag) => this.deps.http.request({ path: "/products", params, etag }), this.deps.onStale);
    const items = body.items.map(toProduct);
    items.forEach((product) => this.products.prime(product.id, product));
    return { items, nextCursor: body.nextCursor, total: body.total };
  }

  /** Read once per request (categories are few), from the shared cache when fresh. */
  listCategories(): Promise<readonly CategoryModel[]> {
    this.categories ??= this.deps.cache
      .resource<CategoryListDto>("catalog", cacheKey("catalog", "categories", "all"), (etag) => this.deps.http.request({ path: "/categories", etag }), this.deps.onStale)
      .then((body) => body.items.map(toCategory));
    return this.categories;
  }

  async findCategory(id: string): Promise<CategoryModel | null> {
    return (await this.listCategories()).find((category) => category.id === id) ?? null;
  }

  private async fetchProducts(ids: readonly string[]): Promise<Array<ProductModel | null>> {
    const dtos = await this.deps.cache.batch<ProductDto>("catalog", ids.map(productKey), ids, async (missing, etag) => {
      const res = await this.deps.http.request<ProductListDto>({ path: "/products", params: { ids: missing.join(",") }, etag });
      return byId(res, (body) => body.items, (dto) => dto.id);
    }, this.deps.onStale);
    return dtos.map((dto) => dto && toProduct(dto));
  }
}
