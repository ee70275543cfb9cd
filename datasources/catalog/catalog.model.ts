import type { MaybePromise } from "../shared/maybe-promise";
import type { MoneyModel } from "../shared/money.model";

export interface ProductModel {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string | null;
  readonly price: MoneyModel;
  /** Internal cost; the schema shows it to admins only. */
  readonly cost: MoneyModel;
  readonly categoryId: string;
  readonly imageUrl: string | null;
}

export interface CategoryModel {
  readonly id: string;
  readonly name: string;
}

export interface ProductPage {
  readonly items: readonly ProductModel[];
  /** The upstream's cursor for the next page; null on the last page. */
  readonly nextCursor: string | null;
  readonly total: number;
}

export interface ProductQuery {
  readonly limit: number;
  readonly cursor?: string;
  readonly categoryId?: string;
  readonly search?: string;
}

export interface CatalogSource {
  findProduct(id: string): MaybePromise<ProductModel | null>;
  listProducts(query: ProductQuery): Promise<ProductPage>;
  listCategories(): Promise<readonly CategoryModel[]>;
  findCategory(id: string): MaybePromise<CategoryModel | null>;
  /** Whether `id` has the form of a category id (catalog.ids.ts); a filter by any other is refused before a call. */
  isCategoryId(id: string): boolean;
}
