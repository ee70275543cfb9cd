import type { BatchFetch } from "../../src/cache/cache-lookup";
import type { ServiceHttp, UpstreamResponse } from "../../src/http/service-http";

/** Upstream batch endpoints take at most this many ids; DataLoader splits larger batches. */
export const MAX_BATCH = 100;

/** Re-keys a batch response by id, for HttpCache.batch (a 304 has no body and stays empty). */
export function byId<B, T>(
  res: UpstreamResponse<B>,
  items: (body: B) => readonly T[],
  id: (item: T) => string,
): UpstreamResponse<Map<string, T>> {
  return { ...res, data: res.data && new Map(items(res.data).map((item) => [id(item), item])) };
}

/**
 * HttpCache.batch's fetch for an upstream batch endpoint: GET `path` with the missing ids joined
 * in the query parameter `param`, answered as `{ items }`, re-keyed by `id`.
 */
export function fetchItems<T>(http: ServiceHttp, path: string, param: string, id: (item: T) => string): BatchFetch<T> {
  return async (missing, validators) => {
    const res = await http.request<{ items: readonly T[] }>({
      path,
      params: { [param]: missing.join(",") },
      validators,
    });
    return byId(res, (body) => body.items, id);
  };
}
