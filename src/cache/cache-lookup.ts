import type { UpstreamResponse } from "../http/service-http";

// What HttpCache and its callers (the datasources) share of a lookup: what a fetch is given, how a lookup ended, who is told.

export type LookupResult = "fresh" | "miss" | "revalidated" | "stale_served" | "coalesced";

/**
 * Called when a stale value was served because its upstream failed (the response says so).
 * An explained request's listener also has `lookup`: told of the lookups that made no upstream call.
 */
export interface StaleListener {
  (service: string, key: string, ageMs: number): void;
  readonly lookup?: (service: string, result: LookupResult, count: number) => void;
}

/** Request headers that revalidate a stored response (If-None-Match, If-Modified-Since); undefined on a plain fetch. */
export type Validators = Readonly<Record<string, string>> | undefined;

/** A batch response already keyed by id; ids the upstream left out are absent. */
export type BatchFetch<T> = (
  ids: readonly string[],
  validators: Validators,
) => Promise<UpstreamResponse<Map<string, T>>>;
