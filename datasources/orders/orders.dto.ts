import type { components, paths } from "./orders.openapi";

export type OrderDto = components["schemas"]["Order"];
export type OrderListDto = paths["/orders"]["get"]["responses"]["200"]["content"]["application/json"];
export type NewOrderDto = paths["/orders"]["post"]["requestBody"]["content"]["application/json"];
