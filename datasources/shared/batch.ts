import type { UpstreamResponse } from "../../src/http/service-http";

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
