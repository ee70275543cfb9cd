import type { Express } from "express";
import { HttpError, IdempotencyStore, requireBody, requireIdempotencyKey, sendNoStore } from "../kit";
import type { Payment } from "../wire";
import type { DemoContext } from "../demo";

/**
 * Payments: charges with test card tokens, refunds. Never cacheable. Every new outcome is also
 * notified by webhook (payment.succeeded, payment.declined, payment.refunded; data {id, reference}).
 */
export function paymentsRoutes({ data, now, webhooks }: DemoContext) {
  const byId = new Map(data.payments.map((p) => [p.id, p]));
  const idempotency = new IdempotencyStore<Payment>();
  const find = (id: string): Payment => {
    const payment = byId.get(id);
    if (!payment) throw new HttpError(404, "NOT_FOUND", `no payment ${id}`);
    return payment;
  };

  return (app: Express): void => {
    app.post("/payments", (req, res) => {
      const key = requireIdempotencyKey(req);
      const { amountCents, currency, paymentMethod, reference } = requireBody(req);
      if (!Number.isInteger(amountCents) || (amountCents as number) < 1)
        throw new HttpError(400, "INVALID_AMOUNT", "amountCents must be a positive integer");
      if (typeof currency !== "string" || typeof reference !== "string")
        throw new HttpError(400, "INVALID_BODY", "currency and reference are required");
      if (typeof paymentMethod !== "string" || !paymentMethod.startsWith("pm_"))
        throw new HttpError(400, "INVALID_PAYMENT_METHOD", "unknown payment method");
      const { result, replayed } = idempotency.run(key, () => {
        const payment: Payment = {
          id: `pay-${String(data.payments.length + 1).padStart(6, "0")}`,
          status: paymentMethod === "pm_card_declined" ? "declined" : "succeeded",
          amountCents: amountCents as number,
          currency,
          reference,
          createdAt: new Date(now()).toISOString(),
        };
        data.payments.push(payment);
        byId.set(payment.id, payment);
        webhooks.send(`payment.${payment.status}`, { id: payment.id, reference });
        return payment;
      });
      sendNoStore(res, replayed ? 200 : 201, result);
    });
    app.get("/payments/:id", (req, res) => sendNoStore(res, 200, find(req.params.id)));
    app.post("/payments/:id/refund", (req, res) => {
      const payment = find(req.params.id);
      if (payment.status === "declined")
        throw new HttpError(409, "NOT_REFUNDABLE", "a declined payment cannot be refunded");
      if (payment.status !== "refunded")
        webhooks.send("payment.refunded", { id: payment.id, reference: payment.reference });
      payment.status = "refunded";
      sendNoStore(res, 200, payment);
    });
  };
}
