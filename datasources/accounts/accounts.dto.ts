import type { components } from "./accounts.openapi";

export type UserDto = components["schemas"]["User"];
