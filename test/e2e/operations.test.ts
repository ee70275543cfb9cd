import {
  AddReviewDocument,
  CatalogAdminDocument,
  CategoriesDocument,
  CheckoutDocument,
  CustomerDetailDocument,
  DashboardOverviewDocument,
  MyOrdersDocument,
  ProductDetailDocument,
  ProductListDocument,
} from "../../operations/generated/graphql";
import { adminToken, token } from "../support/tokens";
import { ordersOf, productById, ratingOf, reviewsOf, stockOf, usd, userById } from "../support/expected";
import { startStack, type Stack } from "../support/stack";

describe("contract operations answer with what the upstreams hold", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  const data = () => stack.upstreams.data;

  test("Categories", async () => {
    const res = await stack.post(CategoriesDocument, {});
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.categories).toEqual(data().categories.map(({ id, name }) => ({ id, name })));
  });

  test("ProductList pages through the catalog in id order", async () => {
    const first = await stack.post(ProductListDocument, { first: 5 });
    expect(first.body.errors).toBeUndefined();
    const page = first.body.data?.products;
    if (!page) throw new Error("no products page");
    const expected = [...data().products].sort((a, b) => a.id.localeCompare(b.id)).slice(0, 10);
    expect(page.totalCount).toBe(data().products.length);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.nodes).toEqual(
      expected.slice(0, 5).map((p) => ({
        id: p.id,
        name: p.name,
        imageUrl: p.imageUrl ?? null,
        price: { amount: p.priceCents, currency: "USD", formatted: usd(p.priceCents) },
        rating: ratingOf(data(), p.id),
        stock: { inStock: (stockOf(data(), p.id) ?? 0) > 0 },
      })),
    );
    const second = await stack.post(ProductListDocument, { first: 5, after: page.pageInfo.endCursor });
    expect(second.body.data?.products.nodes.map((n) => n.id)).toEqual(expected.slice(5, 10).map((p) => p.id));
  });

  test("ProductList filters by category and search", async () => {
    const categoryId = "c-03";
    const byCategory = await stack.post(ProductListDocument, { first: 100, categoryId });
    const inCategory = data().products.filter((p) => p.categoryId === categoryId);
    expect(byCategory.body.data?.products.totalCount).toBe(inCategory.length);
    expect(byCategory.body.data?.products.nodes.map((n) => n.id)).toEqual(inCategory.slice(0, 100).map((p) => p.id));

    const search = await stack.post(ProductListDocument, { first: 100, search: "KETTLE" });
    const matching = data().products.filter((p) => p.name.toLowerCase().includes("kettle"));
    expect(matching.length).toBeGreaterThan(0);
    expect(search.body.data?.products.totalCount).toBe(matching.length);
  });

  test("ProductDetail joins catalog, inventory, reviews and accounts", async () => {
    const product = data().products.find((p) => reviewsOf(data(), p.id).length >= 3 && p.description) as NonNullable<
      ReturnType<typeof productById>
    >;
    const res = await stack.post(ProductDetailDocument, { id: product.id });
    expect(res.body.errors).toBeUndefined();
    const category = data().categories.find((c) => c.id === product.categoryId);
    expect(res.body.data?.product).toEqual({
      id: product.id,
      sku: product.sku,
      name: product.name,
      description: product.description,
      imageUrl: product.imageUrl,
      price: { amount: product.priceCents, currency: "USD", formatted: usd(product.priceCents) },
      category: { id: category?.id, name: category?.name },
      stock: { available: stockOf(data(), product.id), inStock: (stockOf(data(), product.id) ?? 0) > 0 },
      rating: ratingOf(data(), product.id),
      reviews: reviewsOf(data(), product.id)
        .slice(0, 10)
        .map((r) => ({
          id: r.id,
          rating: r.rating,
          body: r.body,
          createdAt: r.createdAt,
          author: { id: r.authorId, name: userById(data(), r.authorId)?.name },
        })),
    });
  });

  test("ProductDetail of an unknown id is null, without an error", async () => {
    const res = await stack.post(ProductDetailDocument, { id: "p-9999" });
    expect(res.body.data).toEqual({ product: null });
    expect(res.body.errors).toBeUndefined();
  });

  test("CatalogAdmin shows admins cost prices and reviewer emails", async () => {
    const res = await stack.post(CatalogAdminDocument, { first: 10 }, { token: await adminToken() });
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data?.products.nodes ?? [];
    expect(nodes).toHaveLength(10);
    for (const node of nodes) {
      const product = productById(data(), node.id);
      expect(node.costPrice).toEqual({ amount: product?.costCents, formatted: usd(product?.costCents ?? 0) });
      expect(node.reviews).toEqual(
        reviewsOf(data(), node.id)
          .slice(0, 3)
          .map((r) => ({
            id: r.id,
            rating: r.rating,
            author: {
              id: r.authorId,
              name: userById(data(), r.authorId)?.name,
              email: userById(data(), r.authorId)?.email,
            },
          })),
      );
    }
  });

  test("MyOrders: the caller's orders, newest first", async () => {
    const userId = "u-0003";
    const orders = ordersOf(data(), userId);
    expect(orders.length).toBeGreaterThan(1);
    const res = await stack.post(MyOrdersDocument, { first: 2 }, { token: await token(userId) });
    expect(res.body.errors).toBeUndefined();
    const me = res.body.data?.me;
    if (!me?.orders) throw new Error("no orders of me");
    expect(me).toMatchObject({
      id: userId,
      name: userById(data(), userId)?.name,
      email: userById(data(), userId)?.email,
    });
    expect(me.orders.nodes).toEqual(
      orders.slice(0, 2).map((o) => ({
        id: o.id,
        status: o.status.toUpperCase(),
        createdAt: o.createdAt,
        total: { amount: o.totalCents, currency: "USD", formatted: usd(o.totalCents) },
        items: o.items.map((i) => ({
          quantity: i.quantity,
          unitPrice: { formatted: usd(i.unitPriceCents) },
          product: {
            id: i.productId,
            name: productById(data(), i.productId)?.name,
            imageUrl: productById(data(), i.productId)?.imageUrl ?? null,
          },
        })),
      })),
    );
    expect(me.orders.pageInfo.hasNextPage).toBe(orders.length > 2);
    const next = await stack.post(
      MyOrdersDocument,
      { first: 100, after: me.orders.pageInfo.endCursor },
      { token: await token(userId) },
    );
    expect(next.body.data?.me?.orders?.nodes.map((o) => o.id)).toEqual(orders.slice(2).map((o) => o.id));
  });

  test("MyOrders for an anonymous caller: me is null", async () => {
    const res = await stack.post(MyOrdersDocument, { first: 5 });
    expect(res.body.data).toEqual({ me: null });
    expect(res.body.errors).toBeUndefined();
  });

  test("CustomerDetail: an admin reads a customer with orders and payments", async () => {
    const userId = "u-0007";
    const res = await stack.post(CustomerDetailDocument, { id: userId }, { token: await adminToken() });
    expect(res.body.errors).toBeUndefined();
    const user = userById(data(), userId);
    expect(res.body.data?.user).toMatchObject({ id: userId, name: user?.name, email: user?.email, role: "CUSTOMER" });
    expect(res.body.data?.user?.orders?.nodes).toEqual(
      ordersOf(data(), userId)
        .slice(0, 20)
        .map((o) => ({
          id: o.id,
          status: o.status.toUpperCase(),
          createdAt: o.createdAt,
          total: { formatted: usd(o.totalCents) },
          payment: o.paymentId
            ? {
                status: data()
                  .payments.find((p) => p.id === o.paymentId)
                  ?.status.toUpperCase(),
              }
            : null,
        })),
    );
  });

  test("DashboardOverview: recent orders by status and low stock, lowest first", async () => {
    const res = await stack.post(
      DashboardOverviewDocument,
      { first: 10, status: "PAID" },
      { token: await adminToken() },
    );
    expect(res.body.errors).toBeUndefined();
    const orders = ordersOf(data(), undefined, "paid").slice(0, 10);
    expect(res.body.data?.orders?.nodes.map((o) => [o.id, o.status, o.customer?.email])).toEqual(
      orders.map((o) => [o.id, "PAID", userById(data(), o.userId)?.email]),
    );
    const low = [...data().stock]
      .filter((s) => s.onHand <= 5)
      .sort((a, b) => a.onHand - b.onHand || a.productId.localeCompare(b.productId))
      .slice(0, 20);
    expect(res.body.data?.lowStock).toEqual(
      low.map((s) => ({
        id: s.productId,
        sku: productById(data(), s.productId)?.sku,
        name: productById(data(), s.productId)?.name,
        stock: { available: s.onHand },
      })),
    );
  });

  test("AddReview adds a review that the product page shows at once", async () => {
    const productId = "p-0042";
    const author = { token: await token("u-0009") };
    const before = await stack.post(ProductDetailDocument, { id: productId }, author); // warms the shared cache
    const res = await stack.post(AddReviewDocument, { productId, rating: 4, body: "  Sturdy and quiet.  " }, author);
    expect(res.body.errors).toBeUndefined();
    const review = res.body.data?.addReview.review;
    expect(res.body.data?.addReview.userErrors).toEqual([]);
    expect(review).toMatchObject({
      rating: 4,
      body: "Sturdy and quiet.",
      author: { id: "u-0009", name: userById(data(), "u-0009")?.name },
    });
    const after = await stack.post(ProductDetailDocument, { id: productId }, author);
    expect(after.body.data?.product?.reviews[0]?.id).toBe(review?.id);
    expect(after.body.data?.product?.rating?.count).toBe((before.body.data?.product?.rating?.count ?? 0) + 1);
  });

  test("Checkout orders, charges and takes the stock", async () => {
    const productId = "p-0100";
    const stockBefore = stockOf(data(), productId) as number;
    const price = productById(data(), productId)?.priceCents as number;
    const input = {
      items: [{ productId, quantity: 2 }],
      idempotencyKey: "ops-checkout-1",
      paymentMethod: "pm_card_visa",
    };
    const res = await stack.post(CheckoutDocument, { input }, { token: await token("u-0011") });
    expect(res.body.errors).toBeUndefined();
    const order = res.body.data?.checkout.order;
    expect(res.body.data?.checkout.userErrors).toEqual([]);
    expect(order).toMatchObject({
      status: "PAID",
      total: { amount: 2 * price, currency: "USD", formatted: usd(2 * price) },
      payment: { status: "SUCCEEDED" },
      items: [{ quantity: 2, product: { id: productId, name: productById(data(), productId)?.name } }],
    });
    expect(stockOf(data(), productId)).toBe(stockBefore - 2);
    expect(data().orders.find((o) => o.id === order?.id)).toMatchObject({
      userId: "u-0011",
      status: "paid",
      totalCents: 2 * price,
    });
  });
});
