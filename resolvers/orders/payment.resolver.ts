import { FieldResolver, Resolver, Root } from "type-graphql";
import type { PaymentModel } from "../../datasources/payments/payments.model";
import { Payment, PaymentStatus } from "../../schema/orders/payment.type";

@Resolver(() => Payment)
export class PaymentResolver {
  @FieldResolver(() => PaymentStatus)
  status(@Root() payment: PaymentModel): PaymentStatus {
    return payment.status.toUpperCase() as PaymentStatus;
  }
}
