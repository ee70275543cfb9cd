import { Field, ID, InputType, Int } from "type-graphql";

@InputType()
export class CartItemInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int)
  quantity!: number;
}

@InputType()
export class CheckoutInput {
  @Field(() => [CartItemInput])
  items!: CartItemInput[];

  @Field(() => String, { description: "Client-generated; retrying with the same key never charges or orders twice." })
  idempotencyKey!: string;

  @Field(() => String, {
    description: "Test card tokens of the payments service, e.g. pm_card_visa, pm_card_declined.",
  })
  paymentMethod!: string;
}
