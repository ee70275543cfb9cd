import { Field, ObjectType } from "type-graphql";
import { Order } from "../orders/order.type";
import { UserError } from "../shared/user-error.type";

@ObjectType()
export class CheckoutPayload {
  @Field(() => Order, { nullable: true })
  order!: Order | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
