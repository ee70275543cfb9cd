import DataLoader from "dataloader";
import { fetchItems, MAX_BATCH } from "../shared/batch";
import { cacheKey, queryString } from "../shared/cache-keys";
import type { SourceDeps } from "../shared/source-deps";
import type { CatalogSource, CategoryModel, ProductModel, ProductPage, ProductQuery } from "./catalog.model";
import type { CategoryListDto, ProductDto, ProductListDto } from "./catalog.dto";
import { toCategory, toProduct } from "./catalog.mapper";
import { mapOnce, type MaybePromise } from "../shared/maybe-promise";
import { CATEGORY_ID, PRODUCT_ID } from "./catalog.ids";

const product = mapOnce(toProduct);
const CATEGORIES_KEY = cacheKey("catalog", "categories", "all");

const productKey = (id: string): string => cacheKey("catalog", "product", id);

/**
 * Catalog service client. Built per request; holds this request's loader.
 * Everything it reads is public catalog data, so all of it may use the shared cache (as wire DTOs,
 * so replicas of other versions can share it), fresh for as long as catalog's Cache-Control
 * says (60 s), revalidated by ETag after.
 */
export class CatalogApi implements CatalogSource {
  private readonly products = new DataLoader<string, ProductModel | null>((ids) => this.fetchProducts(ids), {
    maxBatchSize: MAX_BATCH,
  });
  private categories?: Promise<readonly CategoryModel[]>;

  constructor(private readonly deps: SourceDeps) {}

  /** Batched: every product looked up while resolving one level goes out as one `GET /products?ids=`. */
  /** Batched; an id that is not a product id is null at once (no call: it never reaches `ids=`). */
  findProduct(id: string): MaybePromise<ProductModel | null> {
    const hit = this.deps.cache.fresh<ProductDto>("catalog", productKey(id));
    if (hit !== undefined) return product(hit);
    return PRODUCT_ID.test(id) ? this.products.load(id) : null;
  }

  isCategoryId(id: string): boolean {
    return CATEGORY_ID.test(id);
  }

  /** A page of the catalog; its products also answer later `findProduct` calls of this request. */
  async listProducts(query: ProductQuery): Promise<ProductPage> {
    if (query.categoryId !== undefined && !CATEGORY_ID.test(query.categoryId))
      return { items: [], nextCursor: null, total: 0 }; // no such category
    const params = { limit: query.limit, cursor: query.cursor, categoryId: query.categoryId, q: query.search };
    const key = cacheKey("catalog", "products", queryString(params));
    const body = await this.deps.cache.resource<ProductListDto>(
      "catalog",
      key,
      (validators) => this.deps.http.request({ path: "/products", params, validators }),
      this.deps.onStale,
    );
    const items = body.items.map((dto) => product(dto) as ProductModel);
    items.forEach((product) => this.products.prime(product.id, product));
    return { items, nextCursor: body.nextCursor, total: body.total };
  }

  /** Read once per request (categories are few), from the shared cache when fresh. */
  listCategories(): Promise<readonly CategoryModel[]> {
    this.categories ??= this.deps.cache
      .resource<CategoryListDto>(
        "catalog",
        CATEGORIES_KEY,
        (validators) => this.deps.http.request({ path: "/categories", validators }),
        this.deps.onStale,
      )
      .then(categoriesOf);
    return this.categories;
  }

  findCategory(id: string): MaybePromise<CategoryModel | null> {
    const fresh = this.deps.cache.fresh<CategoryListDto>("catalog", CATEGORIES_KEY);
    if (fresh) return byCategoryId(categoriesOf(fresh), id);
    return this.listCategories().then((categories) => byCategoryId(categories, id));
  }

  private async fetchProducts(ids: readonly string[]): Promise<Array<ProductModel | null>> {
    const dtos = await this.deps.cache.batch<ProductDto>(
      "catalog",
      ids.map(productKey),
      ids,
      fetchItems<ProductDto>(this.deps.http, "/products", "ids", (dto) => dto.id),
      this.deps.onStale,
    );
    return dtos.map(product);
  }
}

const categoriesOf = mapOnce((body: CategoryListDto): readonly CategoryModel[] => body.items.map(toCategory)) as (
  body: CategoryListDto,
) => readonly CategoryModel[];
const byCategoryId = (categories: readonly CategoryModel[], id: string): CategoryModel | null =>
  categories.find((category) => category.id === id) ?? null;
