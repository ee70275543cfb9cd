import type { UnknownOutcome } from "../shared/write-outcome";
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

/** What a charge came to. `refused`: payments would not even try (e.g. an unknown payment method). */
export type ChargeOutcome =
  | { readonly outcome: "charged"; readonly payment: PaymentModel }
  | { readonly outcome: "declined"; readonly payment: PaymentModel }
  | { readonly outcome: "refused"; readonly code: string | undefined }
  | UnknownOutcome;

/** `not_refundable`: a declined payment (nothing was taken). `gone`: no such payment. */
export type RefundOutcome =
  | { readonly outcome: "refunded"; readonly payment: PaymentModel }
  | { readonly outcome: "not_refundable" }
  | { readonly outcome: "gone" }
  | UnknownOutcome;

export interface PaymentsSource {
  findPayment(id: string): Promise<PaymentModel | null>;
  /** A replay of the key answers the first charge and charges nothing more. */
  charge(request: ChargeRequest, idempotencyKey: string): Promise<ChargeOutcome>;
  /** Repeatable: refunding twice is not an error. */
  refund(paymentId: string): Promise<RefundOutcome>;
}
