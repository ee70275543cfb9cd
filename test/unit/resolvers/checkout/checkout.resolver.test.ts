import { CheckoutDocument, type CheckoutInput } from "../../../../operations/generated/graphql";
import type { CheckoutAnswer } from "../../../../checkout/model";
import { buildOrder, buildPayment, buildProduct } from "../../../support/builders";
import { fakeCheckouts } from "../../../support/fake-checkouts";
import { fakeSources } from "../../../support/fake-sources";
import { codes, customer, execute, testContext } from "../../../support/test-context";

const input: CheckoutInput = {
  items: [{ productId: "p-0001", quantity: 2 }],
  idempotencyKey: "k-1",
  paymentMethod: "pm_card_visa",
};
const run = async (answer: CheckoutAnswer, viewer = customer("u-0007")) => {
  const { sources, asked: sourcesAsked } = fakeSources({ products: [buildProduct()], payments: [buildPayment()] });
  const { sources: undo } = fakeSources();
  const checkouts = fakeCheckouts({ answers: [answer] });
  const result = await execute(
    CheckoutDocument,
    { input },
    testContext({ sources, compensation: undo, viewer, checkouts: checkouts.port }),
  );
  return { result, asked: checkouts.asked, sources, undo, sourcesAsked };
};

describe("CheckoutResolver (fake checkout service)", () => {
  test("an order: the viewer's id, the input as sent, the request's datasources and the compensation ones", async () => {
    const order = buildOrder({ userId: "u-0007" });
    const { result, asked, sources, undo, sourcesAsked } = await run({ kind: "order", order });
    expect(result.errors).toBeUndefined();
    expect(result.data?.checkout).toEqual({
      order: {
        id: "o-000001",
        status: "PAID",
        total: { amount: 4_998, currency: "USD", formatted: "$49.98" },
        payment: { id: "pay-000001", status: "SUCCEEDED" },
        items: [{ quantity: 2, product: { id: "p-0001", name: "Kettle" } }],
      },
      userErrors: [],
    });
    expect(asked.map((a) => a.call)).toEqual([`checkout u-0007 ${JSON.stringify(input)}`]);
    expect(asked[0]?.sources).toBe(sources);
    expect(asked[0]?.undo).toBe(undo);
    expect(sourcesAsked.waves()).toEqual([["catalog.findProduct p-0001", "payments.findPayment pay-000001"]]); // the payload's joins
  });

  test("problems are userErrors with their codes and fields", async () => {
    const { result } = await run({
      kind: "problems",
      problems: [{ code: "OUT_OF_STOCK", message: "only 1 left", field: ["items", "0", "quantity"] }],
    });
    expect(result.data?.checkout).toEqual({
      order: null,
      userErrors: [{ code: "OUT_OF_STOCK", message: "only 1 left", field: ["items", "0", "quantity"] }],
    });
  });

  test.each<[CheckoutAnswer, Record<string, unknown>]>([
    [
      { kind: "cancelled", cause: { reason: "upstream_timeout", service: "payments" } },
      { code: "CHECKOUT_CANCELLED", retryable: false, reason: "upstream_timeout", service: "payments" },
    ],
    [
      { kind: "in_progress", cause: null },
      { code: "CHECKOUT_IN_PROGRESS", retryable: true },
    ],
    [
      { kind: "in_progress", cause: { reason: "circuit_open", service: "orders" } },
      { code: "CHECKOUT_IN_PROGRESS", retryable: true, reason: "circuit_open", service: "orders" },
    ],
  ])("%j is an error with its cause", async (answer, extensions) => {
    const { result } = await run(answer);
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => e.extensions)).toEqual([{ ...extensions, requestId: "test-request" }]);
  });

  test("anonymous: UNAUTHENTICATED and the service is not called", async () => {
    const checkouts = fakeCheckouts();
    const result = await execute(CheckoutDocument, { input }, testContext({ checkouts: checkouts.port }));
    expect(codes(result)).toEqual([["UNAUTHENTICATED", "checkout"]]);
    expect(checkouts.asked).toEqual([]);
  });
});
