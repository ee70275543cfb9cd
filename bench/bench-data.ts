// What the request generators know about the demo seed, computed once: ids by category, orders by
// user and in the orders service's order, and cursors exactly as the upstreams will page.
import { seed, type SeedData, type SeedSizes } from "../upstreams/seed";
import { BENCH_SIZES } from "./workloads";

const encodeCursor = (upstream: string): string => Buffer.from(`c1:${upstream}`).toString("base64url");

/** Everything the generators need to know about the seeded data, computed once. */
export class BenchData {
  readonly data: SeedData;
  readonly productIds: string[];
  readonly categoryIds: string[];
  readonly customers: string[];
  readonly admins: string[];
  private readonly byCategory = new Map<string, string[]>();
  private readonly ordersByUser = new Map<string, string[]>();
  private readonly ordersNewestFirst: Array<{ id: string; status: string }>;

  constructor(sizes: SeedSizes = BENCH_SIZES) {
    this.data = seed(sizes);
    this.productIds = this.data.products.map((p) => p.id).sort();
    this.categoryIds = this.data.categories.map((c) => c.id);
    for (const p of [...this.data.products].sort((a, b) => a.id.localeCompare(b.id))) {
      this.byCategory.set(p.categoryId, [...(this.byCategory.get(p.categoryId) ?? []), p.id]);
    }
    this.customers = this.data.users.filter((u) => u.role === "customer").map((u) => u.id);
    this.admins = this.data.users.filter((u) => u.role === "admin").map((u) => u.id);
    // The orders service's order: newest first, then by id descending.
    const sorted = [...this.data.orders].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    this.ordersNewestFirst = sorted.map((o) => ({ id: o.id, status: o.status.toUpperCase() }));
    for (const o of sorted) this.ordersByUser.set(o.userId, [...(this.ordersByUser.get(o.userId) ?? []), o.id]);
  }

  /** `after` for page `page` (0-based) of `ids` in pages of `size`; undefined for the first page or past the end. */
  static after(ids: readonly string[], page: number, size: number): string | undefined {
    const last = ids[page * size - 1];
    return page > 0 && last !== undefined && page * size < ids.length ? encodeCursor(last) : undefined;
  }

  productsIn(categoryId: string | undefined, search: string | undefined): string[] {
    const ids = categoryId ? (this.byCategory.get(categoryId) ?? []) : this.productIds;
    if (!search) return ids;
    const byId = new Map(this.data.products.map((p) => [p.id, p.name.toLowerCase()]));
    return ids.filter((id) => byId.get(id)?.includes(search));
  }

  ordersOf(userId: string): string[] {
    return this.ordersByUser.get(userId) ?? [];
  }

  orders(status: string | undefined): string[] {
    return this.ordersNewestFirst.filter((o) => !status || o.status === status).map((o) => o.id);
  }
}
