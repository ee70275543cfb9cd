import { Field, ObjectType } from "type-graphql";
import { Review } from "../catalog/review.type";
import { Order } from "../orders/order.type";
import { UserError } from "../shared/user-error.type";

@ObjectType()
export class CheckoutPayload {
  @Field(() => Order, { nullable: true })
  order!: Order | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class AddReviewPayload {
  @Field(() => Review, { nullable: true })
  review!: Review | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
