export interface CrashCase {
  readonly at: string;
  /** How every case must end: a paid order, cancelled (undone), or declined (undone, PAYMENT_DECLINED). */
  readonly ends: "paid" | "cancelled" | "declined";
  readonly card?: string;
  readonly env?: Record<string, string>;
}

// Every boundary before and after each upstream write: forward, and both ways of turning back.
export const CASES: readonly CrashCase[] = [
  { at: "reserve:before", ends: "cancelled" },
  { at: "reserve:after", ends: "cancelled" },
  // The charge's intent is journaled before it is sent: recovery replays its key, so it is charged once and goes forward.
  { at: "charge:before", ends: "paid" },
  { at: "charge:after", ends: "paid" },
  { at: "create_order:before", ends: "paid" },
  { at: "create_order:after", ends: "paid" },
  { at: "mark_paid:before", ends: "paid" },
  { at: "mark_paid:after", ends: "paid" },
  { at: "commit:before", ends: "paid" },
  { at: "commit:after", ends: "paid" },
  { at: "release:before", ends: "declined", card: "pm_card_declined" },
  { at: "release:after", ends: "declined", card: "pm_card_declined" },
  // Abandoned at once after the charge (CHECKOUT_ABANDON_AFTER_MS=1): the refund is the next write.
  { at: "refund:before", ends: "cancelled", env: { CHECKOUT_ABANDON_AFTER_MS: "1" } },
  { at: "refund:after", ends: "cancelled", env: { CHECKOUT_ABANDON_AFTER_MS: "1" } },
];

/** The crashing BFFs recover nothing themselves: only the restarted ones do, after every crash. */
export const NO_RECOVERY = { CHECKOUT_RECOVERY_AFTER_MS: "86400000", CHECKOUT_RECOVERY_INTERVAL_MS: "0" };
