import { chargeOnce } from "./charge";
import type { Drive } from "./machine";
import { CheckoutState as S, type CheckoutCause } from "./model";
import { problem } from "./problem";

/** INVENTORY_RESERVED -> PAYMENT_CHARGED: the charge, sent once (or replayed by its key); a declined one fails the checkout. */
export async function charge(drive: Drive): Promise<CheckoutCause | null> {
  // Not yet sent: recovery turns back. Sent and in doubt: only a replay of its key can tell.
  if (drive.data.charge === undefined && drive.mode === "recovery") return drive.interrupted();
  const known = drive.data.payment?.status; // a webhook may have told us already
  const outcome =
    known === "succeeded" ? "charged" : known === "declined" ? "declined" : await chargeOnce(drive, drive.sources);
  if (outcome === "charged") {
    await drive.write(S.PaymentCharged, {
      name: "charged",
      status: "SUCCEEDED",
      upstreamIds: [drive.data.payment?.id as string],
    });
    return null;
  }
  if (outcome === "declined")
    return drive.turnBack({
      kind: "failed",
      problems: [problem("PAYMENT_DECLINED", "The payment was declined", ["paymentMethod"])],
    });
  if (outcome === "refused")
    return drive.turnBack({
      kind: "failed",
      problems: [problem("INVALID_INPUT", "The payments service refused this payment method", ["paymentMethod"])],
    });
  return outcome;
}
