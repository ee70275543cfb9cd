// What the bench sends: every contract read operation, who calls it, how many dependent upstream
// hops a cold request of it makes, and the mixed blend. The streams are in request-stream.ts (seeded:
// two servers, and two runs, get the same sequence), their wire form in request-encoding.ts.
import type { SeedSizes } from "../upstreams/seed";

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
 * each other's answers because a call needs something only an earlier answer gives (an id in
 * it). A call that needs only what the request already holds (the caller's id from the token, an
 * id argument, the product id on an order item) depends on nothing, whatever field it is under:
 * a BFF that makes it wait for its parent's answer loses a round trip. Calls on one line of
 * `chain` are independent and should overlap. Cold latency minus hops x upstream latency is what
 * the server itself adds (issue 8 target: <= 3 ms).
 */
export const DEPENDENT_HOPS: Record<OperationName, { readonly hops: number; readonly chain: string }> = {
  Categories: { hops: 1, chain: "catalog /categories" },
  ProductList: {
    hops: 2,
    chain: "catalog /products page -> inventory stock | reviews summaries",
  },
  ProductDetail: {
    hops: 2,
    chain:
      "catalog product | inventory stock | reviews | reviews summary (the id argument) -> catalog category | accounts (review authors)",
  },
  MyOrders: {
    hops: 2,
    chain: "accounts me | orders of me (the token's id) -> catalog (the items' products)",
  },
  CatalogAdmin: {
    hops: 3,
    chain: "catalog /products page -> inventory | reviews | summaries | categories -> accounts (review authors)",
  },
  CustomerDetail: {
    hops: 2,
    chain: "accounts user | orders of the user (the id argument) -> payments",
  },
  DashboardOverview: {
    hops: 2,
    chain:
      "orders | inventory low stock -> accounts customers | payments | catalog products | inventory (the items' stock: the items' product ids)",
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

/** A stable seed per workload and phase, so both servers get the same sequence. */
export function seedFor(workload: string, phase: string, base = 20_261_129): number {
  let h = base;
  for (const ch of `${workload}/${phase}`) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619) >>> 0;
  return h;
}

/** Tokens signed in advance, one per user id (verification per request is part of what is measured). */
export type Tokens = Readonly<Record<string, string>>;
