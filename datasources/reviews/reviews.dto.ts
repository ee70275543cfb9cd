import type { components, paths } from "./reviews.openapi";

export type ReviewDto = components["schemas"]["Review"];
export type ReviewListDto = paths["/reviews"]["get"]["responses"]["200"]["content"]["application/json"];
export type SummaryListDto = paths["/reviews/summary"]["get"]["responses"]["200"]["content"]["application/json"];
export type SummaryDto = SummaryListDto["items"][number];
