import { heapLimitWarning } from "../../../src/heap-limit";
import { parseConfig } from "../../../src/config";

const MIB = 2 ** 20;
const budgets = (cacheMb: string) => parseConfig({ CACHE_MEMORY_MB: cacheMb }).memory;

describe("heapLimitWarning", () => {
  test("npm start's heap (304 MiB with --max-old-space-size=256) holds the default 64 MiB of caches: no warning", () => {
    expect(heapLimitWarning(budgets("64"), 304 * MIB)).toBeNull();
  });

  test("caches that could outgrow the heap are named, with the flag that fits them", () => {
    expect(heapLimitWarning(budgets("128"), 304 * MIB)).toBe(
      "The heap limit (304 MiB) is small for CACHE_MEMORY_MB=128: start node with --max-old-space-size=352 or more (NODE_OPTIONS), or lower CACHE_MEMORY_MB",
    );
  });

  test("by default it reads this process's own limit", () => {
    expect(heapLimitWarning(budgets("4"))).toBeNull(); // jest's node has the default limit, far above 104 MiB
  });
});
