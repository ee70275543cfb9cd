// The reference BFF's data sources, as Apollo's documentation teaches them: one RESTDataSource per
// service, built per request, one upstream call per id (no batching), RESTDataSource's default
// HTTP cache (Cache-Control/ETag aware) over the server's shared cache, and its default
// de-duplication of identical GETs within a request.
import { RESTDataSource, type AugmentedRequest, type DataSourceConfig } from "@apollo/datasource-rest";
import type { Category, Order, Payment, Product, Review, User } from "../../upstreams/wire";

export interface StockLevel {
  productId: string;
  available: number;
}
export interface RatingSummary {
  productId: string;
  average: number;
  count: number;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

export interface RequestInfo {
  readonly apiKey: string;
  /** The client's X-Request-Id, forwarded (the bench traces requests by it). */
  readonly requestId?: string;
}

abstract class ServiceAPI extends RESTDataSource {
  constructor(
    baseURL: string,
    private readonly info: RequestInfo,
    config: DataSourceConfig,
  ) {
    super(config);
    this.baseURL = `${baseURL}/`;
  }

  protected override willSendRequest(_path: string, request: AugmentedRequest): void {
    request.headers["x-api-key"] = this.info.apiKey;
    if (this.info.requestId) request.headers["x-request-id"] = this.info.requestId;
  }

  /** Null for a 404, the way a docs-style nullable lookup handles "not found". */
  protected async getOrNull<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if ((error as { extensions?: { response?: { status?: number } } }).extensions?.response?.status === 404)
        return null;
      throw error;
    }
  }
}

export class CatalogAPI extends ServiceAPI {
  getProduct(id: string): Promise<Product | null> {
    return this.getOrNull(`products/${encodeURIComponent(id)}`);
  }
  listProducts(params: { limit: number; cursor?: string; categoryId?: string; q?: string }): Promise<Page<Product>> {
    return this.get("products", { params: defined(params) });
  }
  async listCategories(): Promise<Category[]> {
    return (await this.get<{ items: Category[] }>("categories")).items;
  }
  getCategory(id: string): Promise<Category | null> {
    return this.getOrNull(`categories/${encodeURIComponent(id)}`);
  }
}

export class InventoryAPI extends ServiceAPI {
  async getStock(productId: string): Promise<StockLevel | null> {
    return (await this.get<{ items: StockLevel[] }>("stock", { params: { productIds: productId } })).items[0] ?? null;
  }
  async lowStock(threshold: number, limit: number): Promise<StockLevel[]> {
    return (
      await this.get<{ items: StockLevel[] }>("stock/low", {
        params: { threshold: String(threshold), limit: String(limit) },
      })
    ).items;
  }
}

export class ReviewsAPI extends ServiceAPI {
  async reviews(productId: string, first: number): Promise<Review[]> {
    return (
      await this.get<{ items: Review[] }>("reviews", {
        params: { productIds: productId, limitPerProduct: String(first) },
      })
    ).items;
  }
  async summary(productId: string): Promise<RatingSummary | null> {
    return (
      (await this.get<{ items: RatingSummary[] }>("reviews/summary", { params: { productIds: productId } })).items[0] ??
      null
    );
  }
}

export class AccountsAPI extends ServiceAPI {
  getUser(id: string): Promise<User | null> {
    return this.getOrNull(`users/${encodeURIComponent(id)}`);
  }
}

export class OrdersAPI extends ServiceAPI {
  listOrders(params: { limit: number; cursor?: string; userId?: string; status?: string }): Promise<Page<Order>> {
    return this.get("orders", { params: defined(params) });
  }
}

export class PaymentsAPI extends ServiceAPI {
  getPayment(id: string): Promise<Payment | null> {
    return this.getOrNull(`payments/${encodeURIComponent(id)}`);
  }
}

function defined(params: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = String(value);
  return out;
}
