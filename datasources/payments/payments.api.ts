import type DataLoader from "dataloader";
import { perIdLoader } from "../shared/fan-out";
import { money } from "../shared/money.model";
import { nullIfNotFound } from "../shared/not-found";
import type { SourceDeps } from "../shared/source-deps";
import { PAYMENT_ID } from "./payments.ids";
import type { PaymentDto } from "./payments.dto";
import type { ChargeRequest, PaymentModel, PaymentsSource } from "./payments.model";

const toPayment = (dto: PaymentDto): PaymentModel => ({ id: dto.id, status: dto.status, amount: money(dto.amountCents, dto.currency) });

/**
 * Payments service client, built per request. Everything here is `no-store` and personal:
 * nothing is cached across requests. Reads have no batch endpoint: de-duplicated, bounded fan-out.
 */
export class PaymentsApi implements PaymentsSource {
  private readonly payments: DataLoader<string, PaymentModel | null>;

  constructor(private readonly deps: SourceDeps) {
    this.payments = perIdLoader(deps.fanOutConcurrency, (id) => this.fetchPayment(id));
  }

  /** An id that is not a payment id is null at once (no call). */
  findPayment(id: string): Promise<PaymentModel | null> {
    return PAYMENT_ID.test(id) ? this.payments.load(id) : Promise.resolve(null);
  }

  async charge(request: ChargeRequest, idempotencyKey: string): Promise<PaymentModel> {
    const res = await this.deps.http.request<PaymentDto>({ method: "POST", path: "/payments", body: request, idempotencyKey });
    return toPayment(res.data as PaymentDto);
  }

  /** Repeatable: the spec says refunding twice is not an error. */
  async refund(paymentId: string): Promise<PaymentModel> {
    const res = await this.deps.http.request<PaymentDto>({ method: "POST", path: `/payments/${encodeURIComponent(paymentId)}/refund`, repeatable: true });
    return toPayment(res.data as PaymentDto);
  }

  private async fetchPayment(id: string): Promise<PaymentModel | null> {
    const dto = await nullIfNotFound(this.deps.http.get<PaymentDto>(`/payments/${encodeURIComponent(id)}`));
    return dto && toPayment(dto);
  }
}
