import { getHeapStatistics } from "node:v8";
import type { MemoryBudgets } from "./cache/memory-tier";

const MIB = 2 ** 20;
/** What the process holds besides its caches at most, roughly: code, schemas, requests in flight. */
const WORKING_MIB = 96;

/**
 * `npm start` and the image cap V8's old generation (`--max-old-space-size=256`): without a cap,
 * V8 sizes the heap from the machine's memory and lets garbage pile up to hundreds of MiB before it
 * collects (RSS 330 MiB in the 5-minute mixed soak, against 196 MiB with the cap, at the same CPU).
 * The cap must leave room for the caches: their entries take up to about twice their budget in
 * heap (objects are larger than their JSON), plus the working set. Returns a warning when it does not.
 */
export function heapLimitWarning(
  budgets: MemoryBudgets,
  heapLimitBytes = getHeapStatistics().heap_size_limit,
): string | null {
  const cachesMib = (budgets.entities + budgets.absent + budgets.responses + budgets.documents) / MIB;
  const neededMib = Math.ceil(2 * cachesMib + WORKING_MIB);
  const limitMib = Math.floor(heapLimitBytes / MIB);
  return limitMib >= neededMib
    ? null
    : `The heap limit (${limitMib} MiB) is small for CACHE_MEMORY_MB=${Math.round(cachesMib)}: ` +
        `start node with --max-old-space-size=${neededMib} or more (NODE_OPTIONS), or lower CACHE_MEMORY_MB`;
}
