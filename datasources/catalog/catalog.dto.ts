import type { components, paths } from "./catalog.openapi";

export type ProductDto = components["schemas"]["Product"];
export type CategoryDto = components["schemas"]["Category"];
export type ProductListDto = paths["/products"]["get"]["responses"]["200"]["content"]["application/json"];
export type CategoryListDto = paths["/categories"]["get"]["responses"]["200"]["content"]["application/json"];
