// Part of parseConfig (src/config.ts): variables no longer read. Setting one is a problem that
// names its replacement (docs/operators/configuration.md#variables-no-longer-read).
import { SERVICE_NAMES } from "../services";
import type { Env } from "./env-readers";

export function reportRetiredVariables(env: Env, problems: string[]): void {
  for (const retired of [
    "RATE_LIMIT_WINDOW_SECONDS",
    "RATE_LIMIT_ANONYMOUS_POINTS",
    "RATE_LIMIT_CUSTOMER_POINTS",
    "RATE_LIMIT_ADMIN_POINTS",
  ]) {
    if (env[retired] !== undefined)
      problems.push(
        `${retired} is no longer read: rate limits are token buckets (RATE_LIMIT_<KIND>_BUCKET_SIZE and RATE_LIMIT_<KIND>_RESTORE_RATE)`,
      );
  }
  for (const service of SERVICE_NAMES) {
    const old = `${service.toUpperCase()}_BREAKER_WINDOW`;
    if (env[old] !== undefined)
      problems.push(
        `${old} is no longer read: the breaker counts calls over ${old}_MS once ${service.toUpperCase()}_BREAKER_MIN_CALLS were made`,
      );
  }
}
