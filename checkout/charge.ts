import { causeOf } from "./cause";
import { writeKey } from "./keys";
import type { Drive } from "./machine";
import type { CheckoutCause, CheckoutData } from "./model";
import type { CheckoutSources } from "./ports";

/**
 * Sends (or replays: same key) the charge and journals around it. Shared by the forward path and
 * by compensation, which replays a charge in doubt to learn whether there is money to refund.
 */
export async function chargeOnce(
  drive: Drive,
  sources: CheckoutSources,
): Promise<"charged" | "declined" | "refused" | CheckoutCause> {
  const { data } = drive;
  const priced = data.priced as NonNullable<CheckoutData["priced"]>;
  const key = writeKey(drive.id, "charge");
  const state = drive.current().state;
  const replay = data.charge === "pending";
  data.charge = "pending";
  await drive.write(state, {
    name: "charge",
    status: "STARTED",
    idempotencyKey: key,
    detail: `${priced.amountCents} ${priced.currency}${replay ? " (replay of a charge in doubt)" : ""}`,
  });
  drive.boundary("charge", "before");
  const outcome = await sources.payments.charge(
    {
      amountCents: priced.amountCents,
      currency: priced.currency,
      paymentMethod: data.paymentMethod,
      reference: drive.id,
    },
    key,
  );
  drive.boundary("charge", "after");
  if (outcome.outcome === "unknown") {
    await drive.write(state, { name: "charge", status: "UNKNOWN", detail: outcome.error.message });
    return causeOf(outcome.error);
  }
  if (outcome.outcome === "refused") {
    data.charge = "failed";
    await drive.write(state, { name: "charge", status: "FAILED", detail: outcome.code ?? "refused" });
    return "refused";
  }
  data.charge = outcome.outcome === "charged" ? "done" : "failed";
  data.payment = { id: outcome.payment.id, status: outcome.outcome === "charged" ? "succeeded" : "declined" };
  await drive.write(state, {
    name: "charge",
    status: outcome.outcome === "charged" ? "SUCCEEDED" : "FAILED",
    upstreamIds: [outcome.payment.id],
    detail: outcome.outcome,
  });
  return outcome.outcome;
}
