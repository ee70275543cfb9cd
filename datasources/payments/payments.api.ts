import type DataLoader from "dataloader";
import { perIdLoader } from "../shared/fan-out";
import { money } from "../shared/money.model";
import { nullIfNotFound } from "../shared/not-found";
import type { SourceDeps } from "../shared/source-deps";
import { PAYMENT_ID } from "./payments.ids";
import type { PaymentDto } from "./payments.dto";
import { writeOutcome } from "../shared/write-outcome";
import type { ChargeOutcome, ChargeRequest, PaymentModel, PaymentsSource, RefundOutcome } from "./payments.model";

const toPayment = (dto: PaymentDto): PaymentModel => ({
  id: dto.id,
  status: dto.status,
  amount: money(dto.amountCents, dto.currency),
});

/**
 * Payments service client, built per request. Everything here is `no-store` and personal:
 * nothing is cached across requests. Reads have no batch endpoint: de-duplicated, bounded fan-out.
 */
export class PaymentsApi implements PaymentsSource {
  private readonly payments: DataLoader<string, PaymentModel | null>;

  constructor(private readonly deps: SourceDeps) {
    this.payments = perIdLoader(deps.fanOutWidth, (id) => this.fetchPayment(id));
  }

  /** An id that is not a payment id is null at once (no call). */
  findPayment(id: string): Promise<PaymentModel | null> {
    return PAYMENT_ID.test(id) ? this.payments.load(id) : Promise.resolve(null);
  }

  /** A write with an Idempotency-Key: a declined card is an outcome, a 400 is `refused`. */
  charge(request: ChargeRequest, idempotencyKey: string): Promise<ChargeOutcome> {
    return writeOutcome<ChargeOutcome>(
      () =>
        this.deps.http
          .request<PaymentDto>({ method: "POST", path: "/payments", body: request, idempotencyKey })
          .then((res) => {
            const payment = toPayment(res.data as PaymentDto);
            return payment.status === "declined"
              ? { outcome: "declined" as const, payment }
              : { outcome: "charged" as const, payment };
          }),
      ({ status, code }) => (status === 400 ? { outcome: "refused" as const, code } : null),
    );
  }

  /** Repeatable: the spec says refunding twice is not an error. */
  refund(paymentId: string): Promise<RefundOutcome> {
    return writeOutcome<RefundOutcome>(
      () =>
        this.deps.http
          .request<PaymentDto>({
            method: "POST",
            path: `/payments/${encodeURIComponent(paymentId)}/refund`,
            repeatable: true,
          })
          .then((res) => ({ outcome: "refunded" as const, payment: toPayment(res.data as PaymentDto) })),
      ({ status }) =>
        status === 409 ? { outcome: "not_refundable" as const } : status === 404 ? { outcome: "gone" as const } : null,
    );
  }

  private async fetchPayment(id: string): Promise<PaymentModel | null> {
    const dto = await nullIfNotFound(this.deps.http.get<PaymentDto>(`/payments/${encodeURIComponent(id)}`));
    return dto && toPayment(dto);
  }
}
