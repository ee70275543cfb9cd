import type { components, paths } from "./inventory.openapi";

export type StockLevelDto = components["schemas"]["StockLevel"];
export type ReservationDto = components["schemas"]["Reservation"];
export type StockListDto = paths["/stock"]["get"]["responses"]["200"]["content"]["application/json"];
