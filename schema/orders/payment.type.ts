import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../shared/money.type";

export enum PaymentStatus {
  SUCCEEDED = "SUCCEEDED",
  DECLINED = "DECLINED",
  REFUNDED = "REFUNDED",
}
registerEnumType(PaymentStatus, { name: "PaymentStatus" });

@ObjectType()
export class Payment {
  @Field(() => ID)
  id!: string;

  @Field(() => PaymentStatus)
  status!: PaymentStatus;

  @Field(() => Money)
  amount!: Money;
}
