import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { CategoriesDocument } from "../../../../operations/generated/graphql";
import { buildCategory, buildProduct } from "../../../support/builders";
import { fakeSources } from "../../../support/fake-sources";
import { codes, execute, testContext } from "../../../support/test-context";

const world = {
  categories: [buildCategory(), buildCategory({ id: "c-02", name: "Garden" })],
  products: [
    buildProduct({ id: "p-0001" }),
    buildProduct({ id: "p-0002", categoryId: "c-02" }),
    buildProduct({ id: "p-0003" }),
  ],
};
const WITH_PRODUCTS = parse(
  "query($after: String) { categories { id products(first: 1, after: $after) { nodes { id } totalCount pageInfo { endCursor hasNextPage } } } }",
) as TypedDocumentNode<
  {
    categories: Array<{
      id: string;
      products: {
        nodes: Array<{ id: string }>;
        totalCount: number;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    }>;
  },
  { after?: string }
>;

describe("CategoryResolver (fake datasources)", () => {
  test("Categories: one call to catalog, however many categories", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(CategoriesDocument, {}, testContext({ sources }));
    expect(answer).toEqual({
      data: {
        categories: [
          { id: "c-01", name: "Kitchen" },
          { id: "c-02", name: "Garden" },
        ],
      },
      errors: undefined,
    });
    expect(asked.calls).toEqual(["catalog.listCategories"]);
  });

  test("Category.products: each category's page is asked by its id with the limit, all in one wave", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(WITH_PRODUCTS, {}, testContext({ sources }));
    expect(
      answer.data?.categories.map((c) => [
        c.id,
        c.products.nodes.map((n) => n.id),
        c.products.totalCount,
        c.products.pageInfo.hasNextPage,
      ]),
    ).toEqual([
      ["c-01", ["p-0001"], 2, true],
      ["c-02", ["p-0002"], 1, false],
    ]);
    expect(asked.waves()).toEqual([
      ["catalog.listCategories"],
      ['catalog.listProducts {"limit":1,"categoryId":"c-01"}', 'catalog.listProducts {"limit":1,"categoryId":"c-02"}'],
    ]);
  });

  test("a cursor that is not ours is BAD_USER_INPUT, and catalog is not asked for a page", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(WITH_PRODUCTS, { after: "%%" }, testContext({ sources }));
    expect(answer.data).toBeNull(); // products is non-null: the error nulls the non-null root list (first error only)
    expect(codes(answer)).toEqual([["BAD_USER_INPUT", "categories.0.products"]]);
    expect(asked.calls).toEqual(["catalog.listCategories"]);
  });
});
