import { MyOrdersDocument } from "../../../../operations/generated/graphql";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import { buildOrder, buildProduct, buildUser } from "../../../support/builders";
import { fakeSources } from "../../../support/fake-sources";
import { codes, customer, execute, testContext } from "../../../support/test-context";

const items = ["p-0001", "p-0002", "p-0003"].map((productId) => ({
  productId,
  quantity: 1,
  unitPrice: { amount: 100, currency: "USD" },
}));
const world = {
  users: [buildUser()],
  orders: [buildOrder({ items })],
  products: [buildProduct(), buildProduct({ id: "p-0003", name: "Pan" })],
};

describe("OrderItemResolver (fake datasources)", () => {
  test("N items: N product ids asked in one wave (one catalog batch); a removed product is null without an error", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(MyOrdersDocument, { first: 1 }, testContext({ sources, viewer: customer() }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.me?.orders?.nodes[0]?.items.map((i) => i.product?.name ?? null)).toEqual([
      "Kettle",
      null,
      "Pan",
    ]);
    expect(asked.waves()[1]).toEqual([
      "catalog.findProduct p-0001",
      "catalog.findProduct p-0002",
      "catalog.findProduct p-0003",
    ]);
  });

  test("catalog down: the order still renders, each product null with CIRCUIT_OPEN at its path", async () => {
    const { sources } = fakeSources({ ...world, down: { catalog: new UpstreamError("catalog", "circuit-open") } });
    const answer = await execute(MyOrdersDocument, { first: 1 }, testContext({ sources, viewer: customer() }));
    expect(answer.data?.me?.orders?.nodes[0]?.items.map((i) => i.product)).toEqual([null, null, null]);
    expect(codes(answer)).toEqual([0, 1, 2].map((n) => ["CIRCUIT_OPEN", `me.orders.nodes.0.items.${n}.product`]));
  });
});
