import { approximateBytes, MemoryTier, createMemoryTiers } from "../../../../src/cache/memory-tier";
import { FakeClock } from "../../../support/clock";

const product = (n: number) => ({
  id: `p-${String(n).padStart(4, "0")}`,
  name: `Product ${n}`,
  description: "x".repeat(200),
});

describe("MemoryTier", () => {
  test("filling past its budget keeps it under budget and keeps the most recently used entries", () => {
    const budget = 64 * 1024;
    const tier = new MemoryTier("entities", budget);
    const entrySize = approximateBytes("catalog:product:v1:p-0000", product(0));
    const fits = Math.floor(budget / entrySize);
    for (let n = 0; n < fits * 5; n++) {
      tier.set(`catalog:product:v1:${product(n).id}`, product(n), 60_000);
      if (n % 10 === 0) tier.get("catalog:product:v1:p-0000"); // a popular entry, read all along
      expect(tier.stats().bytes).toBeLessThanOrEqual(budget);
    }
    const last = fits * 5 - 1;
    expect(tier.get(`catalog:product:v1:${product(last).id}`)).toEqual(product(last)); // newest kept
    expect(tier.get("catalog:product:v1:p-0000")).toEqual(product(0)); // recently used kept
    expect(tier.get("catalog:product:v1:p-0001")).toBeUndefined(); // old and unused: evicted
    expect(tier.stats().entries).toBeLessThanOrEqual(fits);
    expect(tier.stats().entries).toBeGreaterThan(fits / 2);
  });

  test("an entry expires by the tier's clock", () => {
    const clock = new FakeClock();
    const tier = new MemoryTier("entities", 2 ** 20, clock.now);
    tier.set("k", "v", 1_000);
    expect(tier.get("k")).toBe("v");
    clock.advance(1_000);
    expect(tier.get("k")).toBeUndefined();
    expect(tier.stats()).toMatchObject({ entries: 0, hits: 1, misses: 1 });
  });

  test("a value larger than the whole budget is not kept, and evicts nothing", () => {
    const tier = new MemoryTier("responses", 4_096);
    tier.set("small", "s", 60_000);
    tier.set("huge", "x".repeat(10_000), 60_000);
    expect(tier.get("huge")).toBeUndefined();
    expect(tier.get("small")).toBe("s");
  });

  test("a scan of unknown ids churns the absences' budget only: popular entities stay", () => {
    const tiers = createMemoryTiers({ entities: 2 ** 20, absent: 32 * 1024, responses: 2 ** 20, documents: 2 ** 20 });
    tiers.entities.set("catalog:product:v1:p-0001", product(1), 60_000);
    for (let n = 0; n < 100_000; n++) tiers.absent.set(`catalog:product:v1:x-${n}`, null, 60_000);
    expect(tiers.absent.stats().bytes).toBeLessThanOrEqual(32 * 1024);
    expect(tiers.entities.get("catalog:product:v1:p-0001")).toEqual(product(1));
  });
});
