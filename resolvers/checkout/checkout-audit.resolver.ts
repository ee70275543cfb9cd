import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Resolver, Root } from "type-graphql";
import type { CheckoutRecord, StepRecord } from "../../checkout/model";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";
import type { OrderModel } from "../../datasources/orders/orders.model";
import { User } from "../../schema/accounts/user.type";
import { CheckoutState, type CheckoutStepStatus } from "../../schema/checkout/checkout-state.enum";
import { Checkout, CheckoutStep } from "../../schema/checkout/checkout.type";
import { Order } from "../../schema/orders/order.type";
import { Access } from "../../schema/shared/access";
import { Cost, pagedList } from "../../schema/shared/cost";
import { DateTimeScalar } from "../../schema/shared/date-time.scalar";
import type { Context } from "../../src/context";
import { BadUserInputError } from "../../src/errors/bff-errors";
import { UpstreamField, UpstreamQuery } from "../shared/upstream-field";

const MAX_CHECKOUTS = 100;

/** The audit trail: how each checkout went, step by step, from the journal. Admins only. */
@Resolver(() => Checkout)
export class CheckoutAuditResolver {
  @Authorized(Access.Admin)
  @UpstreamQuery(() => Checkout, {
    nullable: true,
    description: "A checkout by id (<userId>:<idempotencyKey>); admins only.",
    service: "checkouts",
    cost: Cost.upstream,
    cache: "none",
  })
  checkout(@Arg("id", () => ID) id: string, @Ctx() { checkouts }: Context): Promise<CheckoutRecord | null> {
    return checkouts.find(id);
  }

  @Authorized(Access.Admin)
  @UpstreamQuery(() => [Checkout], {
    nullable: true,
    description: "Newest first; admins only.",
    service: "checkouts",
    cost: pagedList(20),
    cache: "none",
  })
  checkouts(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("state", () => CheckoutState, { nullable: true }) state: CheckoutState | null,
    @Arg("userId", () => ID, { nullable: true }) userId: string | null,
    @Ctx() { checkouts }: Context,
  ): Promise<CheckoutRecord[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_CHECKOUTS)
      throw new BadUserInputError(`Query.checkouts(first:) must be between 1 and ${MAX_CHECKOUTS}, got ${first}`);
    return checkouts.list({ limit: first, state: state ?? undefined, userId: userId ?? undefined });
  }

  @FieldResolver(() => CheckoutState)
  state(@Root() record: CheckoutRecord): CheckoutState {
    return record.state as CheckoutState;
  }

  @FieldResolver(() => DateTimeScalar)
  createdAt(@Root() record: CheckoutRecord): string {
    return new Date(record.createdAt).toISOString();
  }

  @FieldResolver(() => DateTimeScalar, { description: "When the journal was last written." })
  updatedAt(@Root() record: CheckoutRecord): string {
    return new Date(record.updatedAt).toISOString();
  }

  @FieldResolver(() => Order, {
    nullable: true,
    description: "The order as the journal last saw it; null until one was created.",
  })
  order(@Root() record: CheckoutRecord): OrderModel | null {
    return record.data.order ?? null;
  }

  @UpstreamField(() => User, {
    nullable: true,
    service: "accounts",
    cost: Cost.upstream,
    cache: "none",
  })
  customer(@Root() record: CheckoutRecord, @Ctx() { dataSources }: Context): MaybePromise<UserModel | null> {
    return dataSources.accounts.findUser(record.userId);
  }

  @UpstreamField(() => [CheckoutStep], {
    description: "Oldest first.",
    service: "checkouts",
    cost: Cost.upstream,
    cache: "none",
  })
  async steps(@Root() record: CheckoutRecord, @Ctx() { checkouts }: Context): Promise<CheckoutStep[]> {
    return (await checkouts.steps(record.id)).map((step: StepRecord) => ({
      ...step,
      status: step.status as CheckoutStepStatus,
      at: new Date(step.at).toISOString(),
      upstreamIds: [...step.upstreamIds],
    }));
  }
}
