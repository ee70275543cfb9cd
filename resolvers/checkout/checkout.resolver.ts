import { Arg, Authorized, Ctx, Resolver } from "type-graphql";
import type { OrderModel } from "../../datasources/orders/orders.model";
import { CheckoutInput } from "../../schema/checkout/checkout.input";
import { CheckoutPayload } from "../../schema/checkout/checkout-payload.type";
import { Cost } from "../../schema/shared/cost";
import type { UserError, UserErrorCode } from "../../schema/shared/user-error.type";
import type { Context } from "../../src/context";
import { CheckoutCancelledError, CheckoutInProgressError } from "../../src/errors/bff-errors";
import { UpstreamMutation } from "../shared/upstream-field";

@Resolver(() => CheckoutPayload)
export class CheckoutResolver {
  /** Idempotent per (user, idempotencyKey): the checkout/ service journals, drives and recovers it. */
  @Authorized()
  @UpstreamMutation(() => CheckoutPayload, {
    service: ["checkouts", "catalog", "inventory", "payments", "orders"],
    cost: Cost.checkout,
  })
  async checkout(
    @Arg("input", () => CheckoutInput) input: CheckoutInput,
    @Ctx() ctx: Context,
  ): Promise<{ order: OrderModel | null; userErrors: UserError[] }> {
    const viewer = ctx.viewer as NonNullable<Context["viewer"]>;
    const answer = await ctx.checkouts.checkout(viewer.id, input, ctx.dataSources, ctx.compensationSources(), ctx.log);
    switch (answer.kind) {
      case "order":
        return { order: answer.order, userErrors: [] };
      case "problems":
        return { order: null, userErrors: answer.problems.map((p) => ({ ...p, code: p.code as UserErrorCode })) };
      case "cancelled":
        throw new CheckoutCancelledError(answer.cause);
      case "in_progress":
        throw new CheckoutInProgressError(answer.cause);
    }
  }
}
