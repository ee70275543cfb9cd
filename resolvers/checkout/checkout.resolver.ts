import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { OrderModel } from "../../datasources/orders/orders.model";
import { CheckoutInput } from "../../schema/checkout/checkout.input";
import { CheckoutPayload } from "../../schema/checkout/payloads.type";
import { Cost } from "../../schema/shared/cost";
import type { UserError } from "../../schema/shared/user-error.type";
import type { Context } from "../../src/context";
import { CheckoutBusyError } from "../../src/errors/bff-errors";
import { validateCheckout } from "./checkout-input";
import { CheckoutSaga } from "./checkout-saga";

interface CheckoutResult {
  readonly order: OrderModel | null;
  readonly userErrors: UserError[];
}

@Resolver(() => CheckoutPayload)
export class CheckoutResolver {
  /**
   * Idempotent per (user, idempotencyKey): calls with one key run one at a time (a lock in the
   * shared store, so across replicas too), and once one succeeded every later call returns its order.
   */
  @Authorized()
  @Mutation(() => CheckoutPayload, { complexity: Cost.checkout })
  async checkout(@Arg("input", () => CheckoutInput) input: CheckoutInput, @Ctx() ctx: Context): Promise<CheckoutResult> {
    const { lines, userErrors } = validateCheckout(input);
    if (userErrors.length > 0) return { order: null, userErrors };
    const viewer = ctx.viewer as NonNullable<Context["viewer"]>;
    const scope = `${viewer.id}:${input.idempotencyKey}`;

    const result = await ctx.checkouts.withLock(scope, async () => {
      const record = await ctx.checkouts.get(scope);
      if (record?.orderId) return { order: await ctx.dataSources.orders.findOrder(record.orderId), userErrors: [] };
      const attempt = record?.attempt ?? 1;
      const saga = new CheckoutSaga(ctx.dataSources, ctx.compensationSources, { scope, attempt }, viewer.id, ctx.log);
      try {
        const outcome = await saga.execute(lines, input.paymentMethod);
        await ctx.checkouts.put(scope, outcome.order ? { attempt, orderId: outcome.order.id } : { attempt: attempt + 1 });
        return outcome;
      } catch (error) {
        await ctx.checkouts.put(scope, { attempt: saga.mayHaveCharged ? attempt : attempt + 1 });
        throw error;
      }
    });
    if (!result) throw new CheckoutBusyError();
    return result;
  }
}
