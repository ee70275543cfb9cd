import { CheckoutState as S, PAID_STATES, type CheckoutAnswer, type CheckoutRecord } from "./model";
import type { DriveResult } from "./machine";

/** What a client is told for a checkout in this state. */
export function answerOf(record: CheckoutRecord, stalled: DriveResult["stalled"]): CheckoutAnswer {
  const { data } = record;
  if (PAID_STATES.includes(record.state) && data.order) return { kind: "order", order: data.order };
  if (record.state === S.Failed && data.ending?.kind === "failed")
    return { kind: "problems", problems: data.ending.problems };
  if (record.state === S.Cancelled)
    return { kind: "cancelled", cause: data.ending?.kind === "cancelled" ? data.ending.cause : { reason: "internal" } };
  return { kind: "in_progress", cause: stalled };
}
