// What the bench sends: every contract read operation with traffic shaped like clients' (random
// products over the whole catalog, rotating customers, varied pages, categories and searches), and
// a mixed blend. Requests come from a seeded PRNG, so two servers (and two runs) get the same
// sequence. Cursors are computed from the demo seed, exactly as the upstreams will page.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../upstreams/random";
import { seed, type SeedData, type SeedSizes } from "../upstreams/seed";
import { repoRoot } from "./paths";

export const OPERATIONS = [
  "Categories",
  "ProductList",
  "ProductDetail",
  "MyOrders",
  "CatalogAdmin",
  "CustomerDetail",
  "DashboardOverview",
] as const;
export type OperationName = (typeof OPERATIONS)[number];
export const WORKLOADS = [...OPERATIONS, "Mixed"] as const;
export type WorkloadName = (typeof WORKLOADS)[number];
export type Caller = "anonymous" | "customer" | "admin";

/** The bench's catalog: 2,000 products (the figures), the default 200 users (4 admins). */
export const BENCH_SIZES: SeedSizes = { products: 2_000, users: 200 };

/**
 * Dependent upstream hops of a fully cold request: the longest chain of calls that must wait for
 * each other's answers, in GraphQL execution order (a field's resolver needs its parent's object).
 * Calls on one line of `chain` are independent and should overlap. Cold latency minus
 * hops x upstream latency is what the BFF itself adds (issue 8 target: <= 3 ms).
 */
export const DEPENDENT_HOPS: Record<OperationName, { readonly hops: number; readonly chain: string }> = {
  Categories: { hops: 1, chain: "catalog /categories" },
  ProductList: { hops: 2, chain: "catalog /products page -> inventory stock | reviews summaries" },
  ProductDetail: {
    hops: 3,
    chain:
      "catalog product -> inventory stock | reviews | reviews summary | catalog categories -> accounts (review authors)",
  },
  MyOrders: { hops: 3, chain: "accounts me -> orders of me -> catalog (the items' products)" },
  CatalogAdmin: {
    hops: 3,
    chain: "catalog /products page -> inventory | reviews | summaries | categories -> accounts (review authors)",
  },
  CustomerDetail: { hops: 3, chain: "accounts user -> orders of the user -> payments" },
  DashboardOverview: {
    hops: 3,
    chain:
      "orders | inventory low stock -> accounts customers | payments | catalog products -> inventory (the items' stock)",
  },
};

/** Who calls each operation in its own workload. */
export const CALLER: Record<OperationName, Caller> = {
  Categories: "anonymous",
  ProductList: "anonymous",
  ProductDetail: "anonymous",
  MyOrders: "customer",
  CatalogAdmin: "admin",
  CustomerDetail: "admin",
  DashboardOverview: "admin",
};

/** The mixed run's blend, in percent: mostly shoppers, a little back office. */
export const MIX: Record<OperationName, number> = {
  ProductDetail: 40,
  ProductList: 30,
  Categories: 10,
  MyOrders: 16,
  CustomerDetail: 2,
  CatalogAdmin: 1,
  DashboardOverview: 1,
};

export interface BenchRequest {
  readonly operation: OperationName;
  readonly variables: Record<string, unknown>;
  readonly caller: Caller;
  /** The signed-in user's id (customers rotate; admins too, over the four of them). */
  readonly userId?: string;
}

const SEARCHES = [
  "lamp",
  "watch",
  "smart",
  "eco",
  "tent",
  "drone",
  "pro",
  "mouse",
  "wireless",
  "kettle",
  "speaker",
  "compact",
];
const ORDER_STATUSES = ["PAID", "SHIPPED", "PENDING", "CANCELLED"];
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

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const pages = (count: number, size: number): number => Math.max(1, Math.ceil(count / size));

/** Variables for one request of `operation`, drawn from `random`. */
export function nextRequest(
  operation: OperationName,
  random: Random,
  bench: BenchData,
  searchCache: Map<string, string[]>,
): BenchRequest {
  const caller = CALLER[operation];
  const cached = (key: string, compute: () => string[]): string[] => {
    let ids = searchCache.get(key);
    if (!ids) searchCache.set(key, (ids = compute()));
    return ids;
  };
  switch (operation) {
    case "Categories":
      return { operation, caller, variables: {} };
    case "ProductDetail":
      return { operation, caller, variables: { id: pick(random, bench.productIds) } };
    case "ProductList":
    case "CatalogAdmin": {
      const first = operation === "ProductList" ? 20 : 50;
      const roll = random();
      const categoryId = roll < 0.3 ? pick(random, bench.categoryIds) : undefined;
      const search = operation === "ProductList" && roll >= 0.3 && roll < 0.5 ? pick(random, SEARCHES) : undefined;
      const ids = cached(`${categoryId}|${search}`, () => bench.productsIn(categoryId, search));
      const page = Math.floor(random() * pages(ids.length, first));
      const variables: Record<string, unknown> = { first };
      const after = BenchData.after(ids, page, first);
      if (after) variables.after = after;
      if (categoryId) variables.categoryId = categoryId;
      if (search) variables.search = search;
      return {
        operation,
        caller,
        variables,
        userId: operation === "CatalogAdmin" ? pick(random, bench.admins) : undefined,
      };
    }
    case "MyOrders": {
      const userId = pick(random, bench.customers);
      const first = random() < 0.7 ? 10 : 3;
      const orders = bench.ordersOf(userId);
      const page = first === 3 ? Math.floor(random() * pages(orders.length, first)) : 0;
      const after = BenchData.after(orders, page, first);
      return { operation, caller, userId, variables: after ? { first, after } : { first } };
    }
    case "CustomerDetail":
      return {
        operation,
        caller,
        userId: pick(random, bench.admins),
        variables: { id: pick(random, bench.data.users).id },
      };
    case "DashboardOverview": {
      const status = random() < 0.5 ? undefined : pick(random, ORDER_STATUSES);
      const ids = cached(`orders|${status}`, () => bench.orders(status));
      const page = random() < 0.75 ? 0 : 1;
      const after = BenchData.after(ids, page, 20);
      const variables: Record<string, unknown> = { first: 20 };
      if (status) variables.status = status;
      if (after) variables.after = after;
      return { operation, caller, userId: pick(random, bench.admins), variables };
    }
  }
}

/** An endless, seeded request stream for a workload (the mixed one draws the operation from MIX). */
export function requestStream(workload: WorkloadName, seedValue: number, bench: BenchData): () => BenchRequest {
  const random = seededRandom(seedValue);
  const searchCache = new Map<string, string[]>();
  const blend = Object.entries(MIX) as Array<[OperationName, number]>;
  const total = blend.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    if (workload !== "Mixed") return nextRequest(workload, random, bench, searchCache);
    let roll = random() * total;
    const [operation] = blend.find(([, weight]) => (roll -= weight) < 0) ?? blend[0]!;
    return nextRequest(operation, random, bench, searchCache);
  };
}

/** A stable seed per workload and phase, so both servers get the same sequence. */
export function seedFor(workload: string, phase: string, base = 20_261_129): number {
  let h = base;
  for (const ch of `${workload}/${phase}`) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619) >>> 0;
  return h;
}

/** The contract's documents, by operation name. */
export function loadDocuments(): Record<OperationName, string> {
  const dir = join(repoRoot(), "operations");
  const file = (op: OperationName): string =>
    ["CatalogAdmin", "CustomerDetail", "DashboardOverview"].includes(op) ? `web/${op}.graphql` : `mobile/${op}.graphql`;
  return Object.fromEntries(OPERATIONS.map((op) => [op, readFileSync(join(dir, file(op)), "utf8")])) as Record<
    OperationName,
    string
  >;
}

/** Tokens signed in advance, one per user id (verification per request is part of what is measured). */
export type Tokens = Readonly<Record<string, string>>;

/** The HTTP body and headers of a request. */
export function encodeRequest(
  request: BenchRequest,
  documents: Record<OperationName, string>,
  tokens: Tokens,
  requestId?: string,
): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (request.userId && request.caller !== "anonymous") {
    const token = tokens[request.userId];
    if (!token) throw new Error(`bench: no token for ${request.userId}`);
    headers.authorization = `Bearer ${token}`;
  }
  if (requestId) headers["x-request-id"] = requestId;
  return {
    body: JSON.stringify({
      query: documents[request.operation],
      operationName: request.operation,
      variables: request.variables,
    }),
    headers,
  };
}
