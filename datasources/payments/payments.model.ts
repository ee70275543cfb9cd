import type { MoneyModel } from "../shared/money.model";

export interface PaymentModel {
  readonly id: string;
  readonly status: "succeeded" | "declined" | "refunded";
  readonly amount: MoneyModel;
}

export interface ChargeRequest {
  readonly amountCents: number;
  readonly currency: string;
  readonly paymentMethod: string;
  readonly reference: string;
}

export interface PaymentsSource {
  findPayment(id: string): Promise<PaymentModel | null>;
  /** A declined card is a PaymentModel with status `declined`, not an error. */
  charge(request: ChargeRequest, idempotencyKey: string): Promise<PaymentModel>;
  /** Idempotent: refunding twice is not an error. */
  refund(paymentId: string): Promise<PaymentModel>;
}
