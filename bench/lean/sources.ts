// The lean server's upstream access: undici's keep-alive pools, DataLoader batching within a request,
// and one in-process cache of the upstreams' public answers (for their max-age) across requests.
// Nothing else: no retries, breaker, deadline, metrics, stale answers or revalidation.
import DataLoader from "dataloader";
import { Agent } from "undici";
import type { ServiceName } from "../../src/services";
import type { Category, Order, Payment, Product, Review, User } from "../../upstreams/wire";
import type { Page, RatingSummary, StockLevel } from "../reference/datasources";
import type { ReferenceSources } from "../reference/resolvers";

/** Entries the cache holds at most; the oldest go first (a calibration server, not a product). */
const CACHE_ENTRIES = 50_000;
/** The upstreams' batch endpoints take at most this many ids. */
const BATCH_MAX = 100;

interface Answer<T> {
  readonly body: T | null;
  /** How long a shared cache may keep it: 0 unless `public, max-age` (and not private or no-store). */
  readonly maxAgeMs: number;
}

/** Process-wide: the connections and the cache. */
export class LeanUpstreams {
  private readonly agent = new Agent({ connections: 64, keepAliveTimeout: 4_000 });
  private readonly cache = new Map<string, { value: unknown; expires: number }>();

  constructor(
    private readonly urls: Record<ServiceName, string>,
    private readonly apiKeys: Record<ServiceName, string>,
  ) {}

  cached<T>(key: string): T | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expires > Date.now()) return entry.value as T;
    this.cache.delete(key);
    return undefined;
  }

  keep(key: string, value: unknown, maxAgeMs: number): void {
    if (maxAgeMs <= 0) return;
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { value, expires: Date.now() + maxAgeMs });
  }

  /** GET as JSON: null for a 404, an Error for any other failure. */
  async get<T>(service: ServiceName, path: string, requestId: string | undefined): Promise<Answer<T>> {
    const headers: Record<string, string> = { "x-api-key": this.apiKeys[service], accept: "application/json" };
    if (requestId) headers["x-request-id"] = requestId;
    const res = await this.agent.request({ origin: this.urls[service], path, method: "GET", headers });
    const text = await res.body.text();
    if (res.statusCode === 404) return { body: null, maxAgeMs: 0 };
    if (res.statusCode !== 200) throw new Error(`${service} answered ${res.statusCode}`);
    return { body: JSON.parse(text) as T, maxAgeMs: sharedMaxAgeMs(res.headers["cache-control"]) };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function sharedMaxAgeMs(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  if (/private|no-store|no-cache/.test(value)) return 0;
  const maxAge = /max-age=(\d+)/.exec(value);
  return maxAge ? Number(maxAge[1]) * 1000 : 0;
}

const query = (params: Record<string, string | number | undefined>): string => {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined);
  return pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&")}` : "";
};

/** One request's sources: the reference's interface over LeanUpstreams, with loaders of its own. */
export function leanSources(upstreams: LeanUpstreams, requestId: string | undefined): ReferenceSources {
  const inFlight = new Map<string, Promise<unknown>>();

  /** One GET per key per request; kept across requests when its answer is public. */
  const cachedGet = <T>(key: string, service: ServiceName, path: string): Promise<T | null> => {
    const hit = upstreams.cached<T>(key);
    if (hit !== undefined) return Promise.resolve(hit);
    let call = inFlight.get(key) as Promise<T | null> | undefined;
    if (!call) {
      call = upstreams.get<T>(service, path, requestId).then(({ body, maxAgeMs }) => {
        if (body !== null) upstreams.keep(key, body, maxAgeMs);
        return body;
      });
      inFlight.set(key, call);
    }
    return call;
  };

  /** By id, batched: one call per tick for every id not in the cache. */
  const byId = <T>(
    prefix: string,
    service: ServiceName,
    path: (ids: readonly string[]) => string,
    group: (items: T[], ids: readonly string[]) => Map<string, unknown>,
  ): ((id: string) => Promise<unknown>) => {
    const loader = new DataLoader<string, unknown>(
      async (ids) => {
        const { body, maxAgeMs } = await upstreams.get<{ items: T[] }>(service, path(ids), requestId);
        const found = group(body?.items ?? [], ids);
        return ids.map((id) => {
          const value = found.get(id) ?? null; // none (no rating yet, say) is an answer too, kept alike
          upstreams.keep(`${prefix}:${id}`, value, maxAgeMs);
          return value;
        });
      },
      { maxBatchSize: BATCH_MAX },
    );
    return (id) => {
      const hit = upstreams.cached(`${prefix}:${id}`);
      return hit !== undefined ? Promise.resolve(hit) : loader.load(id);
    };
  };
  const byKey = <T extends { productId?: string; id?: string }>(items: T[], key: "id" | "productId") =>
    new Map(items.map((item) => [item[key] as string, item]));
  const ids = (list: readonly string[]): string => list.map(encodeURIComponent).join(",");

  const product = byId<Product>(
    "product",
    "catalog",
    (l) => `/products?ids=${ids(l)}`,
    (items) => byKey(items, "id"),
  );
  const stock = byId<StockLevel>(
    "stock",
    "inventory",
    (l) => `/stock?productIds=${ids(l)}`,
    (items) => byKey(items, "productId"),
  );
  const summary = byId<RatingSummary>(
    "rating",
    "reviews",
    (l) => `/reviews/summary?productIds=${ids(l)}`,
    (items) => byKey(items, "productId"),
  );
  const reviewLists = new Map<number, (id: string) => Promise<unknown>>();
  const reviewsOf = (first: number) => {
    let load = reviewLists.get(first);
    if (!load) {
      load = byId<Review>(
        `reviews:${first}`,
        "reviews",
        (l) => `/reviews?productIds=${ids(l)}&limitPerProduct=${first}`,
        (items, asked) => new Map(asked.map((id) => [id, items.filter((r) => r.productId === id)])),
      );
      reviewLists.set(first, load);
    }
    return load;
  };

  return {
    catalog: {
      getProduct: (id) => product(id) as Promise<Product | null>,
      listProducts: async (params) =>
        (await cachedGet<Page<Product>>(
          `products${query(params)}`,
          "catalog",
          `/products${query(params)}`,
        )) as Page<Product>,
      listCategories: async () =>
        ((await cachedGet<{ items: Category[] }>("categories", "catalog", "/categories")) as { items: Category[] })
          .items,
      getCategory: (id) => cachedGet<Category>(`category:${id}`, "catalog", `/categories/${encodeURIComponent(id)}`),
    },
    inventory: {
      getStock: (productId) => stock(productId) as Promise<StockLevel | null>,
      lowStock: async (threshold, limit) => {
        const path = `/stock/low${query({ threshold, limit })}`;
        return ((await cachedGet<{ items: StockLevel[] }>(path, "inventory", path)) as { items: StockLevel[] }).items;
      },
    },
    reviews: {
      reviews: (productId, first) => reviewsOf(first)(productId) as Promise<Review[]>,
      summary: (productId) => summary(productId) as Promise<RatingSummary | null>,
    },
    accounts: {
      getUser: (id) => cachedGet<User>(`user:${id}`, "accounts", `/users/${encodeURIComponent(id)}`),
    },
    orders: {
      listOrders: async (params) =>
        (await cachedGet<Page<Order>>(`orders${query(params)}`, "orders", `/orders${query(params)}`)) as Page<Order>,
    },
    payments: {
      getPayment: (id) => cachedGet<Payment>(`payment:${id}`, "payments", `/payments/${encodeURIComponent(id)}`),
    },
  };
}
