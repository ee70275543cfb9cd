import type { HttpCache, StaleListener } from "../../src/cache/http-cache";
import type { ServiceHttp, UpstreamResponse } from "../../src/http/service-http";

/** What every datasource is built with, once per client request. */
export interface SourceDeps {
  readonly http: ServiceHttp;
  /** Shared across requests and replicas: viewer-independent GET data only. */
  readonly cache: HttpCache;
  /** Parallel calls for services without a batch endpoint. */
  readonly fanOutConcurrency: number;
  /** Told when the cache answered with a stale value because the upstream failed. */
  readonly onStale: StaleListener;
}

/** Upstream batch endpoints take at most this many ids; DataLoader splits larger batches. */
export const MAX_BATCH = 100;

/** Cache key convention: `service:resource:version:id`. */
export const cacheKey = (service: string, resource: string, id: string): string => `${service}:${resource}:v1:${id}`;

/** A stable query string of the defined parameters (also a cache key part). */
export function queryString(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]]));
  return new URLSearchParams(entries).toString();
}

/** Re-keys a batch response by id, for HttpCache.batch (a 304 has no body and stays empty). */
export function byId<B, T>(res: UpstreamResponse<B>, items: (body: B) => readonly T[], id: (item: T) => string): UpstreamResponse<Map<string, T>> {
  return { ...res, data: res.data && new Map(items(res.data).map((item) => [id(item), item])) };
}
