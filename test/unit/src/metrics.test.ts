import { Metrics } from "../../../src/metrics";

describe("Metrics", () => {
  test("cache lookups are tallied per service and result, and read into the counter at each scrape", async () => {
    const metrics = new Metrics(new Set());
    metrics.countLookups("catalog", "fresh", 2);
    metrics.countLookups("catalog", "fresh", 1);
    metrics.countLookups("catalog", "miss", 4);
    metrics.countLookups("reviews", "coalesced", 1);
    const first = await metrics.registry.getSingleMetricAsString("bff_cache_lookups_total");
    expect(first).toContain('bff_cache_lookups_total{service="catalog",result="fresh"} 3');
    expect(first).toContain('bff_cache_lookups_total{service="catalog",result="miss"} 4');
    expect(first).toContain('bff_cache_lookups_total{service="reviews",result="coalesced"} 1');
    // A counter never goes down: a second scrape shows the running totals, not what came since the first.
    metrics.countLookups("catalog", "fresh", 5);
    const second = await metrics.registry.getSingleMetricAsString("bff_cache_lookups_total");
    expect(second).toContain('bff_cache_lookups_total{service="catalog",result="fresh"} 8');
    expect(second).toContain('bff_cache_lookups_total{service="catalog",result="miss"} 4');
  });
});
