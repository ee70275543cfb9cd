import { validateCheckout } from "../../../checkout/input";

const input = (overrides: object = {}) => ({
  items: [{ productId: "p-1", quantity: 1 }],
  idempotencyKey: "k",
  paymentMethod: "pm_card_visa",
  ...overrides,
});

describe("validateCheckout", () => {
  test("a valid cart; repeated products merge into one line", () => {
    const { lines, userErrors } = validateCheckout(
      input({
        items: [
          { productId: "p-1", quantity: 1 },
          { productId: "p-2", quantity: 3 },
          { productId: "p-1", quantity: 2 },
        ],
      }),
    );
    expect(userErrors).toEqual([]);
    expect(lines).toEqual([
      { productId: "p-1", quantity: 3, index: 0 },
      { productId: "p-2", quantity: 3, index: 1 },
    ]);
  });

  test("every problem is reported with the path to its field", () => {
    const { userErrors } = validateCheckout(
      input({
        items: [
          { productId: "p-1", quantity: 0 },
          { productId: " ", quantity: 101 },
        ],
        idempotencyKey: " ",
        paymentMethod: "",
      }),
    );
    expect(userErrors.map((e) => [e.code, e.field])).toEqual([
      ["INVALID_INPUT", ["idempotencyKey"]],
      ["INVALID_INPUT", ["paymentMethod"]],
      ["INVALID_INPUT", ["items", "0", "quantity"]],
      ["INVALID_INPUT", ["items", "1", "quantity"]],
      ["INVALID_INPUT", ["items", "1", "productId"]],
    ]);
  });

  test("an empty cart", () => {
    expect(validateCheckout(input({ items: [] })).userErrors.map((e) => e.field)).toEqual([["items"]]);
  });
});
