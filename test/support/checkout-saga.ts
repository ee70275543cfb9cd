// What the checkout saga's end-to-end tests share: a fresh customer and key per test, the checkout
// mutation, and the oracle of what the upstreams hold for one checkout key.
import { CheckoutDocument } from "../../operations/generated/graphql";
import type { GraphQLResponse, Stack } from "./stack";
import { token } from "./tokens";

/** The helpers over the stack `stack()` returns (the suite starts it in beforeAll). */
export function checkoutSaga(stack: () => Stack) {
  let n = 0;
  /** A fresh customer and key per test, so each test sees only its own side effects. */
  const fresh = () => {
    n += 1;
    return { user: `u-01${String(n).padStart(2, "0")}`, key: `key-${n}` };
  };
  const checkout = async (
    user: string,
    key: string,
    items: Array<{ productId: string; quantity: number }>,
    paymentMethod = "pm_card_visa",
  ) =>
    stack().post(
      CheckoutDocument,
      { input: { items, idempotencyKey: key, paymentMethod } },
      { token: await token(user) },
    );

  /** What the upstreams hold for one checkout key: the oracle for "nothing is lost". */
  const sideEffects = (user: string, key: string) => {
    const { upstreams } = stack();
    const payments = upstreams.data.payments.filter((p) => p.reference === `${user}:${key}`);
    const orders = upstreams.data.orders.filter((o) => payments.some((p) => p.id === o.paymentId));
    return {
      held: upstreams.inventory.held().length,
      payments: payments.map((p) => p.status),
      orders: orders.map((o) => o.status),
    };
  };
  return { fresh, checkout, sideEffects };
}

export const NOTHING_LEFT = { held: 0, payments: [], orders: [] };

/** `CODE:service` of each error. */
export const errorCode = (res: GraphQLResponse<unknown>) =>
  res.body.errors?.map((e) => `${e.extensions?.code}:${e.extensions?.service}`);
