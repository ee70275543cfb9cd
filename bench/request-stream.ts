// The seeded request streams: traffic shaped like clients' (random products over the whole catalog,
// rotating customers, varied pages, categories and searches), and the mixed blend. Requests come
// from a seeded PRNG, so two servers (and two runs) get the same sequence.
import { seededRandom } from "../upstreams/random";
import { BenchData } from "./bench-data";
import { CALLER, MIX, type BenchRequest, type OperationName, type WorkloadName } from "./workloads";

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
