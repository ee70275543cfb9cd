import type { DataSources } from "../../datasources";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import { CATEGORY_ID } from "../../datasources/catalog/catalog.ids";
import type { CategoryModel, ProductModel } from "../../datasources/catalog/catalog.model";
import type { StockModel } from "../../datasources/inventory/inventory.model";
import type { OrderModel } from "../../datasources/orders/orders.model";
import type { PaymentModel } from "../../datasources/payments/payments.model";
import type { RatingModel, ReviewModel } from "../../datasources/reviews/reviews.model";
import type { UpstreamError } from "../../src/errors/upstream-error";

type Service = keyof DataSources;

/** What the fake upstreams hold. */
export interface World {
  products?: ProductModel[];
  categories?: CategoryModel[];
  stock?: StockModel[];
  reviews?: ReviewModel[];
  ratings?: Record<string, RatingModel>;
  users?: UserModel[];
  orders?: OrderModel[];
  payments?: PaymentModel[];
  /** Every call to these services fails with the given error. */
  down?: Partial<Record<Service, UpstreamError>>;
}

/**
 * Everything the resolvers asked, in order (`catalog.findProduct p-0001`), and grouped in waves:
 * a wave is what was asked before any answer came back. The real datasources batch each wave's
 * lookups of one method through a DataLoader, so "all ids in one wave" is "one upstream request".
 */
export class Asked {
  readonly calls: string[] = [];
  private readonly byWave: string[][] = [];
  private wave = 0;
  private closing = false;

  record(call: string): void {
    if (!this.closing) {
      this.closing = true;
      setImmediate(() => {
        this.wave += 1;
        this.closing = false;
      }); // before any answer of this wave
    }
    (this.byWave[this.wave] ??= []).push(call);
    this.calls.push(call);
  }

  /** The calls of each wave, each sorted (order within a wave is the executor's, not a contract). */
  waves(): string[][] {
    return this.byWave.filter((w) => w !== undefined).map((w) => [...w].sort());
  }

  of(prefix: string): string[] {
    return this.calls.filter((c) => c.startsWith(prefix));
  }
}

/** Offset cursors: the fake upstreams' own (opaque to clients, wrapped by resolvers/shared/cursor). */
function page<T>(
  all: readonly T[],
  limit: number,
  cursor: string | undefined,
): { items: T[]; nextCursor: string | null } {
  const start = cursor === undefined ? 0 : Number(cursor);
  const items = all.slice(start, start + limit);
  return { items, nextCursor: start + limit < all.length ? String(start + limit) : null };
}

/**
 * Plain-object datasources over `world`, implementing the interfaces resolvers see, made per
 * request as the real ones are. Every call is recorded once and answered asynchronously (after a macrotask, as an upstream would), or fails
 * when `world.down` names its service. Writes checkout makes are not resolvers' business: they throw.
 */
export function fakeSources(world: World = {}): { sources: DataSources; asked: Asked } {
  const asked = new Asked();
  // The same lookup twice is one answer, as the real datasources' DataLoaders and memos make it
  // within a request (a parent's look-ahead and the child's resolver meet there).
  const answered = new Map<string, Promise<unknown>>();
  const answer = <T>(service: Service, call: string, value: () => T): Promise<T> => {
    const key = `${service}.${call}`;
    const earlier = answered.get(key);
    if (earlier) return earlier as Promise<T>;
    asked.record(key);
    const made = new Promise<T>((resolve, reject) =>
      setImmediate(() => {
        const down = world.down?.[service];
        if (down) reject(down);
        else resolve(value());
      }),
    );
    answered.set(key, made);
    return made;
  };
  const notForResolvers = (what: string) => (): never => {
    throw new Error(`${what} is checkout's, not a resolver's`);
  };
  const products = world.products ?? [];
  const orders = world.orders ?? [];
  const reviews = world.reviews ?? [];
  let reviewIds = reviews.length;
  const sources: DataSources = {
    catalog: {
      findProduct: (id) => answer("catalog", `findProduct ${id}`, () => products.find((p) => p.id === id) ?? null),
      listProducts: (q) =>
        answer("catalog", `listProducts ${JSON.stringify(q)}`, () => {
          const matching = products.filter(
            (p) =>
              (!q.categoryId || p.categoryId === q.categoryId) &&
              (!q.search || p.name.toLowerCase().includes(q.search.toLowerCase())),
          );
          return { ...page(matching, q.limit, q.cursor), total: matching.length };
        }),
      listCategories: () => answer("catalog", "listCategories", () => world.categories ?? []),
      findCategory: (id) =>
        answer("catalog", `findCategory ${id}`, () => world.categories?.find((c) => c.id === id) ?? null),
      isCategoryId: (id) => CATEGORY_ID.test(id), // the real rule: it is the service folder's, and asks nothing
    },
    inventory: {
      findStock: (id) =>
        answer("inventory", `findStock ${id}`, () => world.stock?.find((s) => s.productId === id) ?? null),
      listLowStock: (threshold, limit) =>
        answer("inventory", `listLowStock ${threshold} ${limit}`, () =>
          (world.stock ?? [])
            .filter((s) => s.available <= threshold)
            .sort((a, b) => a.available - b.available)
            .slice(0, limit),
        ),
      reserve: notForResolvers("inventory.reserve"),
      commit: notForResolvers("inventory.commit"),
      release: notForResolvers("inventory.release"),
    },
    reviews: {
      listReviews: (id, first) =>
        answer("reviews", `listReviews ${id} ${first}`, () =>
          reviews.filter((r) => r.productId === id).slice(0, first),
        ),
      findRating: (id) => answer("reviews", `findRating ${id}`, () => world.ratings?.[id] ?? null),
      addReview: (review) =>
        answer("reviews", `addReview ${JSON.stringify(review)}`, () => {
          reviewIds += 1;
          return { id: `r-${String(reviewIds).padStart(4, "0")}`, ...review, createdAt: "2026-11-21T09:00:00.000Z" };
        }),
    },
    accounts: {
      findUser: (id) => answer("accounts", `findUser ${id}`, () => world.users?.find((u) => u.id === id) ?? null),
    },
    orders: {
      findOrder: (id) => answer("orders", `findOrder ${id}`, () => orders.find((o) => o.id === id) ?? null),
      listOrders: (q) =>
        answer("orders", `listOrders ${JSON.stringify(q)}`, () =>
          page(
            orders.filter((o) => (!q.userId || o.userId === q.userId) && (!q.status || o.status === q.status)),
            q.limit,
            q.cursor,
          ),
        ),
      createOrder: notForResolvers("orders.createOrder"),
      setStatus: notForResolvers("orders.setStatus"),
    },
    payments: {
      findPayment: (id) =>
        answer("payments", `findPayment ${id}`, () => world.payments?.find((p) => p.id === id) ?? null),
      charge: notForResolvers("payments.charge"),
      refund: notForResolvers("payments.refund"),
    },
  };
  return { sources, asked };
}
