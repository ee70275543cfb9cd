import type { SeedData } from "../../upstreams/seed";

/** What the demo upstreams hold, computed straight from their data: the oracle the e2e tests compare with. */
export const usd = (cents: number): string =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);

export function reviewsOf(data: SeedData, productId: string) {
  return data.reviews.filter((r) => r.productId === productId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function ratingOf(data: SeedData, productId: string) {
  const reviews = reviewsOf(data, productId);
  if (reviews.length === 0) return null;
  return {
    average: Math.round((reviews.reduce((s, r) => s + r.rating, 0) / reviews.length) * 100) / 100,
    count: reviews.length,
  };
}

export function ordersOf(data: SeedData, userId?: string, status?: string) {
  return data.orders
    .filter((o) => (!userId || o.userId === userId) && (!status || o.status === status))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

export const userById = (data: SeedData, id: string) => data.users.find((u) => u.id === id);
export const productById = (data: SeedData, id: string) => data.products.find((p) => p.id === id);

/** Available stock as inventory reports it (no reservations are held in these tests). */
export const stockOf = (data: SeedData, productId: string) => data.stock.find((s) => s.productId === productId)?.onHand;
