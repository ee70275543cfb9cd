import type { CartLine, CheckoutProblem, CheckoutRequest } from "./model";

export const MAX_CART_ITEMS = 50;
export const MAX_QUANTITY = 100;
const MAX_KEY_LENGTH = 200;

const invalid = (message: string, field: string[]): CheckoutProblem => ({ code: "INVALID_INPUT", message, field });

/** Checks the input before anything is called; repeated products are merged into one line. */
export function validateCheckout(input: CheckoutRequest): { lines: CartLine[]; userErrors: CheckoutProblem[] } {
  const userErrors: CheckoutProblem[] = [];
  if (input.idempotencyKey.trim().length === 0 || input.idempotencyKey.length > MAX_KEY_LENGTH) {
    userErrors.push(invalid(`idempotencyKey must be 1 to ${MAX_KEY_LENGTH} characters`, ["idempotencyKey"]));
  }
  if (input.paymentMethod.trim().length === 0) userErrors.push(invalid("paymentMethod is required", ["paymentMethod"]));
  if (input.items.length === 0 || input.items.length > MAX_CART_ITEMS) {
    userErrors.push(invalid(`a checkout takes 1 to ${MAX_CART_ITEMS} items`, ["items"]));
  }
  const lines = new Map<string, CartLine>();
  input.items.forEach((item, index) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      userErrors.push(invalid(`quantity must be 1 to ${MAX_QUANTITY}`, ["items", String(index), "quantity"]));
    }
    if (item.productId.trim().length === 0)
      userErrors.push(invalid("productId is required", ["items", String(index), "productId"]));
    const earlier = lines.get(item.productId);
    lines.set(item.productId, {
      productId: item.productId,
      quantity: (earlier?.quantity ?? 0) + item.quantity,
      index: earlier?.index ?? index,
    });
  });
  return { lines: [...lines.values()], userErrors };
}
