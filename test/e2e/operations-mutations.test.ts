import { AddReviewDocument, CheckoutDocument, ProductDetailDocument } from "../../operations/generated/graphql";
import { token } from "../support/tokens";
import { productById, stockOf, usd, userById } from "../support/expected";
import { startStack, type Stack } from "../support/stack";

describe("contract operations answer with what the upstreams hold", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  const data = () => stack.upstreams.data;

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
