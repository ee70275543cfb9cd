import type { components } from "./payments.openapi";

export type PaymentDto = components["schemas"]["Payment"];
