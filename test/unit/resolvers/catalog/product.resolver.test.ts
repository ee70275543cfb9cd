import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import {
  CatalogAdminDocument,
  ProductDetailDocument,
  ProductListDocument,
} from "../../../../operations/generated/graphql";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import { buildCategory, buildProduct, buildReview, buildStock, buildUser } from "../../../support/builders";
import { fakeSources, type World } from "../../../support/fake-sources";
import { admin, codes, customer, execute, testContext } from "../../../support/test-context";

const products = Array.from({ length: 5 }, (_, i) =>
  buildProduct({ id: `p-000${i + 1}`, name: `Item ${i + 1}`, categoryId: i < 3 ? "c-01" : "c-02" }),
);
const world: World = {
  products,
  categories: [buildCategory(), buildCategory({ id: "c-02", name: "Garden" })],
  stock: [buildStock({ productId: "p-0001", available: 0 }), buildStock({ productId: "p-0002", available: 7 })],
  reviews: [buildReview({ id: "r-1", authorId: "u-0001" }), buildReview({ id: "r-2", authorId: "u-0002", rating: 3 })],
  ratings: { "p-0001": { average: 4, count: 2 } },
  users: [buildUser(), buildUser({ id: "u-0002", name: "Grace", email: "grace@example.com" })],
};

describe("ProductResolver (fake datasources)", () => {
  test("ProductDetail: the product with its stock, rating and reviews (look-ahead: they need only the id), then the category and every author in one wave", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(ProductDetailDocument, { id: "p-0001" }, testContext({ sources }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.product).toEqual({
      id: "p-0001",
      sku: "SKU-0001",
      name: "Item 1",
      description: "Boils water.",
      imageUrl: null,
      price: { amount: 2_499, currency: "USD", formatted: "$24.99" },
      category: { id: "c-01", name: "Kitchen" },
      stock: { available: 0, inStock: false },
      rating: { average: 4, count: 2 },
      reviews: [
        {
          id: "r-1",
          rating: 5,
          body: "Great.",
          createdAt: "2026-11-20T10:00:00.000Z",
          author: { id: "u-0001", name: "Ada" },
        },
        {
          id: "r-2",
          rating: 3,
          body: "Great.",
          createdAt: "2026-11-20T10:00:00.000Z",
          author: { id: "u-0002", name: "Grace" },
        },
      ],
    });
    expect(asked.waves()).toEqual([
      [
        "catalog.findProduct p-0001",
        "inventory.findStock p-0001",
        "reviews.findRating p-0001",
        "reviews.listReviews p-0001 10",
      ],
      ["accounts.findUser u-0001", "accounts.findUser u-0002", "catalog.findCategory c-01"],
    ]);
  });

  test("an unknown product is null; only the look-ahead went beside it (nothing waits on its answer)", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(ProductDetailDocument, { id: "p-9999" }, testContext({ sources }));
    expect(answer).toEqual({ data: { product: null }, errors: undefined });
    expect(asked.waves()).toEqual([
      [
        "catalog.findProduct p-9999",
        "inventory.findStock p-9999",
        "reviews.findRating p-9999",
        "reviews.listReviews p-9999 10",
      ],
    ]);
  });

  test("look-ahead starts only what the query selects, as it will run (@skip, @include, fragments, aliases)", async () => {
    const { sources, asked } = fakeSources(world);
    const query = parse(`
      query($noStock: Boolean!) {
        product(id: "p-0001") {
          stock @skip(if: $noStock) { available }
          ... on Product { few: reviews(first: 1) { id } }
          ...More
        }
      }
      fragment More on Product { reviews(first: 2) { id } }`) as TypedDocumentNode<
      { product: { few: unknown[]; reviews: unknown[] } | null },
      { noStock: boolean }
    >;
    const answer = await execute(query, { noStock: true }, testContext({ sources }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.product).toEqual({ few: [{ id: "r-1" }], reviews: [{ id: "r-1" }, { id: "r-2" }] });
    expect(asked.waves()).toEqual([
      ["catalog.findProduct p-0001", "reviews.listReviews p-0001 1", "reviews.listReviews p-0001 2"],
    ]);
  });

  test("a product from this process's cache has nothing to start early: its fields ask at once", async () => {
    const { sources, asked } = fakeSources(world);
    const cached = buildProduct();
    const answer = await execute(
      parse(`{ product(id: "p-0001") { name stock { available } } }`) as TypedDocumentNode<{ product: unknown }>,
      {},
      testContext({ sources: { ...sources, catalog: { ...sources.catalog, findProduct: () => cached } } }),
    );
    expect(answer.data?.product).toEqual({ name: cached.name, stock: { available: 0 } });
    expect(asked.waves()).toEqual([["inventory.findStock p-0001"]]);
  });

  test("reviews down: the product still renders, reviews empty, the error at reviews' path; inventory down: stock null with its error", async () => {
    const { sources } = fakeSources({
      ...world,
      down: {
        reviews: new UpstreamError("reviews", "status", 503),
        inventory: new UpstreamError("inventory", "timeout"),
      },
    });
    const answer = await execute(ProductDetailDocument, { id: "p-0001" }, testContext({ sources }));
    expect(answer.data?.product).toMatchObject({ id: "p-0001", reviews: [], rating: null, stock: null });
    expect(codes(answer).sort()).toEqual([
      ["UPSTREAM_TIMEOUT", "product.stock"],
      ["UPSTREAM_UNAVAILABLE", "product.rating"],
      ["UPSTREAM_UNAVAILABLE", "product.reviews"],
    ]);
  });

  test("ProductList: paging arguments reach catalog as limit and the upstream cursor; the next page's cursor is opaque", async () => {
    const { sources, asked } = fakeSources(world);
    const first = await execute(ProductListDocument, { first: 2 }, testContext({ sources }));
    expect(first.data?.products.nodes.map((n) => n.id)).toEqual(["p-0001", "p-0002"]);
    expect(first.data?.products).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    const after = first.data?.products.pageInfo.endCursor ?? null;
    expect(after).not.toBe("2"); // wrapped, not the upstream's own
    const second = await execute(
      ProductListDocument,
      { first: 2, after, categoryId: "c-01", search: "item" },
      testContext({ sources }),
    );
    expect(second.data?.products.nodes.map((n) => n.id)).toEqual(["p-0003"]);
    expect(second.data?.products.pageInfo).toEqual({ endCursor: null, hasNextPage: false });
    expect(asked.of("catalog.listProducts")).toEqual([
      'catalog.listProducts {"limit":2}',
      'catalog.listProducts {"limit":2,"cursor":"2","categoryId":"c-01","search":"item"}',
    ]);
    // Per page, stock and rating of every node in one wave each: two batch requests, not 2 × N.
    expect(asked.waves()[1]).toEqual([
      "inventory.findStock p-0001",
      "inventory.findStock p-0002",
      "reviews.findRating p-0001",
      "reviews.findRating p-0002",
    ]);
  });

  test("a malformed categoryId or cursor is BAD_USER_INPUT before catalog is asked", async () => {
    const { sources, asked } = fakeSources(world);
    const badCategory = await execute(
      ProductListDocument,
      { first: 2, categoryId: "c-01&q=x" },
      testContext({ sources }),
    );
    const badCursor = await execute(ProductListDocument, { first: 2, after: "not-ours" }, testContext({ sources }));
    expect([...codes(badCategory), ...codes(badCursor)]).toEqual([
      ["BAD_USER_INPUT", "products"],
      ["BAD_USER_INPUT", "products"],
    ]);
    expect(asked.calls).toEqual([]);
  });

  test("costPrice is for admins, an author's email for its owner: a customer gets null with FORBIDDEN there", async () => {
    const { sources } = fakeSources(world);
    const asCustomer = await execute(
      CatalogAdminDocument,
      { first: 2 },
      testContext({ sources, viewer: customer("u-0001") }),
    );
    expect(asCustomer.data?.products.nodes.map((n) => n.costPrice)).toEqual([null, null]);
    expect(asCustomer.data?.products.nodes[0]?.reviews.map((r) => r.author?.email)).toEqual(["ada@example.com", null]);
    expect(codes(asCustomer)).toEqual([
      ["FORBIDDEN", "products.nodes.0.costPrice"],
      ["FORBIDDEN", "products.nodes.1.costPrice"],
      ["FORBIDDEN", "products.nodes.0.reviews.1.author.email"],
    ]);
    const asAdmin = await execute(CatalogAdminDocument, { first: 2 }, testContext({ sources, viewer: admin() }));
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data?.products.nodes[0]?.costPrice).toEqual({ amount: 1_200, formatted: "$12.00" });
  });

  const LOW_STOCK = parse(
    "query($t: Int) { lowStock(threshold: $t, first: 2) { id stock { available } } }",
  ) as TypedDocumentNode<
    { lowStock: Array<{ id: string; stock: { available: number } | null }> | null },
    { t?: number }
  >;

  test("lowStock (admins): inventory's levels, then each product in one wave; unknown products dropped", async () => {
    const stock = [
      buildStock({ productId: "p-0002", available: 1 }),
      buildStock({ productId: "p-0404", available: 0 }),
      buildStock({ productId: "p-0003", available: 9 }),
    ];
    const { sources, asked } = fakeSources({ ...world, stock });
    const answer = await execute(LOW_STOCK, { t: 4 }, testContext({ sources, viewer: admin() }));
    expect(answer.data?.lowStock).toEqual([{ id: "p-0002", stock: { available: 1 } }]);
    expect(asked.waves().slice(0, 2)).toEqual([
      ["inventory.listLowStock 4 2"],
      ["catalog.findProduct p-0002", "catalog.findProduct p-0404"],
    ]);
  });

  test("lowStock for a customer: FORBIDDEN, inventory not asked; anonymous: UNAUTHENTICATED", async () => {
    const { sources, asked } = fakeSources(world);
    expect(codes(await execute(LOW_STOCK, {}, testContext({ sources, viewer: customer() })))).toEqual([
      ["FORBIDDEN", "lowStock"],
    ]);
    expect(codes(await execute(LOW_STOCK, {}, testContext({ sources })))).toEqual([["UNAUTHENTICATED", "lowStock"]]);
    expect(asked.calls).toEqual([]);
  });
});
