import { intBetween, pick, seededRandom } from "./random";
import {
  ADJECTIVES,
  CATEGORY_NAMES,
  FIRST_NAMES,
  LAST_NAMES,
  NOUNS,
  ORDER_STATUSES,
  REVIEW_BODIES,
} from "./seed-vocabulary";
import type { Category, Order, Payment, Product, Review, StockRecord, User } from "./wire";

/** Everything the demo services hold. Built from a fixed seed: every run has the same data. */
export interface SeedData {
  readonly categories: Category[];
  readonly products: Product[];
  readonly stock: StockRecord[];
  readonly reviews: Review[];
  readonly users: User[];
  readonly orders: Order[];
  readonly payments: Payment[];
}

export interface SeedSizes {
  products: number;
  users: number;
}

const EPOCH = Date.parse("2026-01-01T00:00:00.000Z");
const iso = (offsetMinutes: number): string => new Date(EPOCH + offsetMinutes * 60_000).toISOString();
const pad = (n: number, width: number): string => String(n).padStart(width, "0");

export const productId = (n: number): string => `p-${pad(n, 4)}`;
export const userId = (n: number): string => `u-${pad(n, 4)}`;

export function seed(sizes: SeedSizes = { products: 1_000, users: 200 }): SeedData {
  const random = seededRandom(20_261_121);
  const categories = CATEGORY_NAMES.map((name, i) => ({ id: `c-${pad(i + 1, 2)}`, name }));

  const products: Product[] = [];
  const stock: StockRecord[] = [];
  for (let n = 1; n <= sizes.products; n++) {
    const priceCents = intBetween(random, 199, 149_999);
    products.push({
      id: productId(n),
      sku: `SKU-${pad(n * 7 + 1000, 6)}`,
      name: `${pick(random, ADJECTIVES)} ${pick(random, NOUNS)} ${n}`,
      description: n % 10 === 0 ? null : `A dependable product, model ${n}.`,
      priceCents,
      currency: "USD",
      costCents: Math.round(priceCents * (0.4 + random() * 0.3)),
      categoryId: pick(random, categories).id,
      imageUrl: n % 25 === 0 ? null : `https://img.example.com/products/${productId(n)}.jpg`,
      updatedAt: iso(n),
    });
    const low = random() < 0.1;
    stock.push({
      productId: productId(n),
      onHand: low ? intBetween(random, 0, 5) : intBetween(random, 6, 500),
      updatedAt: iso(n),
    });
  }

  const users: User[] = [];
  for (let n = 1; n <= sizes.users; n++) {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    users.push({
      id: userId(n),
      name: `${first} ${last}`,
      email: `${first}.${last}.${n}@example.com`.toLowerCase(),
      role: n % 50 === 0 ? "admin" : "customer",
      createdAt: iso(-n * 1_440),
    });
  }

  const reviews: Review[] = [];
  for (const product of products) {
    const count = random() < 0.1 ? 0 : intBetween(random, 1, 8);
    for (let i = 0; i < count; i++) {
      reviews.push({
        id: `r-${pad(reviews.length + 1, 6)}`,
        productId: product.id,
        authorId: pick(random, users).id,
        rating: Math.min(5, intBetween(random, 1, 5) + (random() < 0.4 ? 1 : 0)),
        body: pick(random, REVIEW_BODIES),
        createdAt: iso(10_000 + reviews.length * 7),
      });
    }
  }

  const orders: Order[] = [];
  const payments: Payment[] = [];
  for (const user of users) {
    const count = intBetween(random, 0, 8);
    for (let i = 0; i < count; i++) {
      const items = Array.from({ length: intBetween(random, 1, 4) }, () => {
        const product = pick(random, products);
        return { productId: product.id, quantity: intBetween(random, 1, 3), unitPriceCents: product.priceCents };
      });
      const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
      const status = pick(random, ORDER_STATUSES);
      const id = `o-${pad(orders.length + 1, 6)}`;
      const createdAt = iso(20_000 + orders.length * 13);
      let paymentId: string | null = null;
      if (status !== "pending" && status !== "failed") {
        paymentId = `pay-${pad(payments.length + 1, 6)}`;
        payments.push({
          id: paymentId,
          status: status === "cancelled" ? "refunded" : "succeeded",
          amountCents: totalCents,
          currency: "USD",
          reference: id,
          createdAt,
        });
      }
      orders.push({ id, userId: user.id, status, items, totalCents, currency: "USD", paymentId, createdAt });
    }
  }
  return { categories, products, stock, reviews, users, orders, payments };
}
