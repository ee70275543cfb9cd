import {
  CatalogAdminDocument,
  CategoriesDocument,
  ProductDetailDocument,
  ProductListDocument,
} from "../../operations/generated/graphql";
import { adminToken } from "../support/tokens";
import { productById, ratingOf, reviewsOf, stockOf, usd, userById } from "../support/expected";
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
});
