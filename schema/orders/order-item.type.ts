import { Field, Int, ObjectType } from "type-graphql";
import { Money } from "../shared/money.type";

@ObjectType()
export class OrderItem {
  @Field(() => Int)
  quantity!: number;

  @Field(() => Money)
  unitPrice!: Money;
  // product: resolved in OrderItemResolver (nullable: catalog may be down)
}
