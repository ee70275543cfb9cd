/** The six upstream services behind the BFF. */
export const SERVICE_NAMES = ["catalog", "inventory", "reviews", "accounts", "orders", "payments"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
