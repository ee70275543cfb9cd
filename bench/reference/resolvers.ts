// The reference BFF's resolvers: a resolver map over the contract's SDL, written the way Apollo's
// documentation shows (graphql-tools style maps, data sources on the context, access checks
// inside resolvers). They give the same answers as our BFF for the contract's read operations.
import { GraphQLError } from "graphql";
import type { BenchViewer } from "../bench-server";
import type { Category, Order, Payment, Product, Review, User } from "../../upstreams/wire";
import type { AccountsAPI, CatalogAPI, InventoryAPI, OrdersAPI, Page, PaymentsAPI, ReviewsAPI } from "./datasources";

/**
 * What the resolvers ask of the upstreams: the reference's RESTDataSources answer it, and so do the
 * lean server's (bench/lean/sources.ts), so that the two run the same resolvers.
 */
export interface ReferenceSources {
  catalog: Pick<CatalogAPI, "getProduct" | "listProducts" | "listCategories" | "getCategory">;
  inventory: Pick<InventoryAPI, "getStock" | "lowStock">;
  reviews: Pick<ReviewsAPI, "reviews" | "summary">;
  accounts: Pick<AccountsAPI, "getUser">;
  orders: Pick<OrdersAPI, "listOrders">;
  payments: Pick<PaymentsAPI, "getPayment">;
}

export interface ReferenceContext {
  readonly viewer: BenchViewer | null;
  readonly dataSources: ReferenceSources;
}

interface Money {
  amount: number;
  currency: string;
}
interface PageArgs {
  first: number;
  after?: string | null;
}

const CURSOR_PREFIX = "c1:"; // the same opaque cursors as our BFF, so clients can page either
const encodeCursor = (upstream: string): string => Buffer.from(CURSOR_PREFIX + upstream).toString("base64url");
function decodeCursor(after: string | null | undefined): string | undefined {
  if (!after) return undefined;
  const decoded = Buffer.from(after, "base64url").toString("utf8");
  if (!decoded.startsWith(CURSOR_PREFIX))
    throw new GraphQLError("invalid cursor", { extensions: { code: "BAD_USER_INPUT" } });
  return decoded.slice(CURSOR_PREFIX.length);
}
const pageInfo = (page: Page<unknown>) => ({
  endCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
  hasNextPage: page.nextCursor !== null,
});

const formatters = new Map<string, Intl.NumberFormat>();
function formatMoney({ amount, currency }: Money): string {
  let format = formatters.get(currency);
  if (!format) formatters.set(currency, (format = new Intl.NumberFormat("en-US", { style: "currency", currency })));
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

function requireUser(ctx: ReferenceContext): NonNullable<ReferenceContext["viewer"]> {
  if (!ctx.viewer) throw new GraphQLError("You must be signed in", { extensions: { code: "UNAUTHENTICATED" } });
  return ctx.viewer;
}
function requireAdmin(ctx: ReferenceContext): void {
  if (requireUser(ctx).role !== "admin") throw new GraphQLError("Admins only", { extensions: { code: "FORBIDDEN" } });
}
function requireSelfOrAdmin(ctx: ReferenceContext, ownerId: string): void {
  const viewer = requireUser(ctx);
  if (viewer.role !== "admin" && viewer.id !== ownerId)
    throw new GraphQLError("Not yours", { extensions: { code: "FORBIDDEN" } });
}

async function productConnection(
  ctx: ReferenceContext,
  args: PageArgs & { categoryId?: string | null; search?: string | null },
) {
  const page = await ctx.dataSources.catalog.listProducts({
    limit: args.first,
    cursor: decodeCursor(args.after),
    categoryId: args.categoryId ?? undefined,
    q: args.search ?? undefined,
  });
  return { nodes: page.items, pageInfo: pageInfo(page), totalCount: page.total ?? page.items.length };
}

async function orderConnection(ctx: ReferenceContext, args: PageArgs & { userId?: string; status?: string | null }) {
  const page = await ctx.dataSources.orders.listOrders({
    limit: args.first,
    cursor: decodeCursor(args.after),
    userId: args.userId,
    status: args.status?.toLowerCase(),
  });
  return { nodes: page.items, pageInfo: pageInfo(page) };
}

export const resolvers = {
  Query: {
    categories: (_: unknown, __: unknown, ctx: ReferenceContext) => ctx.dataSources.catalog.listCategories(),
    product: (_: unknown, args: { id: string }, ctx: ReferenceContext) => ctx.dataSources.catalog.getProduct(args.id),
    products: (
      _: unknown,
      args: PageArgs & { categoryId?: string | null; search?: string | null },
      ctx: ReferenceContext,
    ) => productConnection(ctx, args),
    lowStock: async (_: unknown, args: { threshold: number; first: number }, ctx: ReferenceContext) => {
      requireAdmin(ctx);
      const levels = await ctx.dataSources.inventory.lowStock(args.threshold, args.first);
      const products = await Promise.all(levels.map((level) => ctx.dataSources.catalog.getProduct(level.productId)));
      return products.filter((p) => p !== null);
    },
    me: (_: unknown, __: unknown, ctx: ReferenceContext) =>
      ctx.viewer ? ctx.dataSources.accounts.getUser(ctx.viewer.id) : null,
    user: (_: unknown, args: { id: string }, ctx: ReferenceContext) => {
      requireSelfOrAdmin(ctx, args.id);
      return ctx.dataSources.accounts.getUser(args.id);
    },
    orders: (_: unknown, args: PageArgs & { status?: string | null }, ctx: ReferenceContext) => {
      requireAdmin(ctx);
      return orderConnection(ctx, args);
    },
  },
  Category: {
    products: (category: Category, args: PageArgs, ctx: ReferenceContext) =>
      productConnection(ctx, { ...args, categoryId: category.id }),
  },
  Product: {
    description: (p: Product) => p.description ?? null,
    imageUrl: (p: Product) => p.imageUrl ?? null,
    price: (p: Product): Money => ({ amount: p.priceCents, currency: p.currency }),
    costPrice: (p: Product, _: unknown, ctx: ReferenceContext): Money => {
      requireAdmin(ctx);
      return { amount: p.costCents, currency: p.currency };
    },
    category: (p: Product, _: unknown, ctx: ReferenceContext) => ctx.dataSources.catalog.getCategory(p.categoryId),
    stock: async (p: Product, _: unknown, ctx: ReferenceContext) => {
      const level = await ctx.dataSources.inventory.getStock(p.id);
      return level && { available: level.available, inStock: level.available > 0 };
    },
    rating: (p: Product, _: unknown, ctx: ReferenceContext) => ctx.dataSources.reviews.summary(p.id),
    reviews: (p: Product, args: { first: number }, ctx: ReferenceContext) =>
      ctx.dataSources.reviews.reviews(p.id, args.first),
  },
  Review: {
    author: (r: Review, _: unknown, ctx: ReferenceContext) => ctx.dataSources.accounts.getUser(r.authorId),
  },
  User: {
    email: (u: User, _: unknown, ctx: ReferenceContext) => {
      requireSelfOrAdmin(ctx, u.id);
      return u.email;
    },
    role: (u: User, _: unknown, ctx: ReferenceContext) => {
      requireSelfOrAdmin(ctx, u.id);
      return u.role === "admin" ? "ADMIN" : "CUSTOMER";
    },
    orders: (u: User, args: PageArgs, ctx: ReferenceContext) => {
      requireSelfOrAdmin(ctx, u.id);
      return orderConnection(ctx, { ...args, userId: u.id });
    },
  },
  Order: {
    status: (o: Order) => o.status.toUpperCase(),
    total: (o: Order): Money => ({ amount: o.totalCents, currency: o.currency }),
    items: (o: Order) => o.items.map((item) => ({ ...item, currency: o.currency })),
    customer: (o: Order, _: unknown, ctx: ReferenceContext) => ctx.dataSources.accounts.getUser(o.userId),
    payment: (o: Order, _: unknown, ctx: ReferenceContext) =>
      o.paymentId ? ctx.dataSources.payments.getPayment(o.paymentId) : null,
  },
  OrderItem: {
    unitPrice: (item: Order["items"][number] & { currency: string }): Money => ({
      amount: item.unitPriceCents,
      currency: item.currency,
    }),
    product: (item: Order["items"][number], _: unknown, ctx: ReferenceContext) =>
      ctx.dataSources.catalog.getProduct(item.productId),
  },
  Payment: {
    status: (p: Payment) => p.status.toUpperCase(),
    amount: (p: Payment): Money => ({ amount: p.amountCents, currency: p.currency }),
  },
  Money: {
    formatted: (m: Money) => formatMoney(m),
  },
};
