import { Field, ID, ObjectType } from "type-graphql";
import { DateTimeScalar } from "../shared/date-time.scalar";
import { CheckoutStepStatus } from "./checkout-state.enum";

/** One line of a checkout's audit trail. */
@ObjectType()
export class CheckoutStep {
  @Field(() => String, {
    description:
      "received, price, reserve, charge, create_order, mark_paid, commit, compensate, cancel_order, refund, release, webhook, or a state reached.",
  })
  name!: string;

  @Field(() => CheckoutStepStatus)
  status!: CheckoutStepStatus;

  @Field(() => DateTimeScalar)
  at!: string;

  @Field(() => String, { nullable: true, description: "The product of a per-line step (reserve, commit, release)." })
  line!: string | null;

  @Field(() => String, { nullable: true, description: "The Idempotency-Key the upstream write carried." })
  idempotencyKey!: string | null;

  @Field(() => [String], { description: "Upstream ids the step produced or used: reservation, payment, order." })
  upstreamIds!: string[];

  @Field(() => String, { nullable: true })
  detail!: string | null;

  @Field(() => String, { description: "The process (or client) that wrote the line." })
  actor!: string;
}

/** A checkout as its journal records it (admins only). `steps`, `customer`, `order`: CheckoutResolver. */
@ObjectType()
export class Checkout {
  @Field(() => ID, { description: "<userId>:<idempotencyKey>; also the payment's reference." })
  id!: string;

  @Field(() => String)
  idempotencyKey!: string;
}
