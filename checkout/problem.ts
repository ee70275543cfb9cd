import type { CheckoutProblem } from "./model";

/** A problem the client is told of, at `field` of its input. */
export const problem = (code: CheckoutProblem["code"], message: string, field: string[]): CheckoutProblem => ({
  code,
  message,
  field,
});
