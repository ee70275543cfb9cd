import { Field, ID, ObjectType } from "type-graphql";
import { DateTimeScalar } from "../shared/date-time.scalar";
import { sizedList } from "../shared/cost";
import { Money } from "../shared/money.type";
import { OrderItem } from "./order-item.type";

/** An order is visible only to its owner and to admins (enforced where orders are reached). */
@ObjectType()
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  /** Orders carry a handful of lines; the cost model assumes 5. */
  @Field(() => [OrderItem], { complexity: sizedList(5, 0) })
  items!: OrderItem[];

  @Field(() => Money)
  total!: Money;
  // status, customer, payment: resolved in OrderResolver
}
