import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { buildProduct, buildStock } from "../../../support/builders";
import { fakeSources } from "../../../support/fake-sources";
import { execute, testContext } from "../../../support/test-context";

const STOCK = parse("query($id: ID!) { product(id: $id) { stock { available inStock } } }") as TypedDocumentNode<
  { product: { stock: { available: number; inStock: boolean } | null } | null },
  { id: string }
>;

describe("StockResolver (fake datasources)", () => {
  test.each([
    [0, false],
    [1, true],
    [-2, false],
  ])("available %d -> inStock %s, derived without another call", async (available, inStock) => {
    const { sources, asked } = fakeSources({ products: [buildProduct()], stock: [buildStock({ available })] });
    const answer = await execute(STOCK, { id: "p-0001" }, testContext({ sources }));
    expect(answer.data?.product?.stock).toEqual({ available, inStock });
    expect(asked.calls).toEqual(["catalog.findProduct p-0001", "inventory.findStock p-0001"]);
  });

  test("a product inventory does not know has null stock, without an error", async () => {
    const { sources } = fakeSources({ products: [buildProduct()] });
    expect(await execute(STOCK, { id: "p-0001" }, testContext({ sources }))).toEqual({
      data: { product: { stock: null } },
      errors: undefined,
    });
  });
});
