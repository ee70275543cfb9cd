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

/**
 * A per-request loader for a service without a batch endpoint: the ids of one batch are
 * de-duplicated by DataLoader and fetched one by one, at most `concurrency` at a time.
 */
export function perIdLoader<T>(
  concurrency: number,
  fetchOne: (id: string) => Promise<T | null>,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>((ids) => fanOut(ids, concurrency, fetchOne));
}
