import { formatMoney } from "../../../../resolvers/shared/money.resolver";

describe("formatMoney (en-US)", () => {
  test.each([
    [123456, "USD", "$1,234.56"],
    [5, "USD", "$0.05"],
    [0, "USD", "$0.00"],
    [-1999, "USD", "-$19.99"],
    [1234, "EUR", "€12.34"],
    [1234, "JPY", "¥1,234"],
    [1234, "XXQ", "XXQ\u00a012.34"], // ICU puts a no-break space after a code
    [1234, "dollars", "12.34 dollars"],
  ])("%i %s -> %s", (amount, currency, expected) => {
    expect(formatMoney({ amount, currency })).toBe(expected);
  });
});
