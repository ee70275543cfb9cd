import DataLoader from "dataloader";

/**
 * Runs `task` for every item with at most `limit` in flight, keeping order. A failure is
 * returned in its slot (DataLoader's contract for one bad key), not thrown for the batch.
 */
export async function fanOut<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<Array<R | Error>> {
  const results = new Array<R | Error>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        results[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The most per-id calls one batch makes at once while its service is idle. */
export const IDLE_FAN_OUT = 32;

/**
 * How many of a batch's `count` per-id calls run at once. While the service has fewer calls
 * in flight than `concurrency` (UPSTREAM_FANOUT_CONCURRENCY) it is idle: the batch goes out
 * whole (up to IDLE_FAN_OUT), so a lone request does not wait wave after wave. Once it is
 * busy, each batch gets `concurrency`: under load, wider fan-outs only cost CPU and queue in
 * the service's bulkhead.
 */
export function fanOutWidth(inFlight: number, concurrency: number, count: number): number {
  return inFlight < concurrency ? Math.max(concurrency, Math.min(count, IDLE_FAN_OUT)) : concurrency;
}

/**
 * A per-request loader for a service without a batch endpoint: the ids of one batch are
 * de-duplicated by DataLoader and fetched one by one, `width(ids)` at a time (fanOutWidth).
 */
export function perIdLoader<T>(
  width: (count: number) => number,
  fetchOne: (id: string) => Promise<T | null>,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>((ids) => fanOut(ids, width(ids.length), fetchOne));
}
