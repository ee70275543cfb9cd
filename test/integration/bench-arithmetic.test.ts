// The bench's arithmetic: dependent waves, the soak's RSS slope, the seeded request streams.
import { BenchData } from "../../bench/bench-data";
import { dependentWaves } from "../../bench/cold-probe";
import { requestStream } from "../../bench/request-stream";
import { soakSummary } from "../../bench/soak-report";
import { OPERATIONS, seedFor } from "../../bench/workloads";
import type { TracedCall } from "../../upstreams/service-control";

describe("the bench's arithmetic", () => {
  const call = (startMs: number, endMs: number): TracedCall => ({
    service: "s",
    requestId: "trace-1",
    path: "/",
    startMs,
    endMs,
  });

  it("counts dependent waves: overlapping calls are one wave, a call after an answer is the next", () => {
    expect(dependentWaves([])).toBe(0);
    expect(dependentWaves([call(0, 10), call(1, 11), call(2, 12)])).toBe(1);
    expect(dependentWaves([call(0, 10), call(11, 21), call(11.5, 21), call(22, 32)])).toBe(3);
    expect(dependentWaves([call(22, 32), call(0, 10), call(11, 21)])).toBe(3); // order of arrival, not of the list
  });

  it("fits the soak's RSS slope and flags growth", () => {
    const flat = Array.from({ length: 300 }, (_, t) => [t, 120 + (t % 2)] as [number, number]);
    expect(soakSummary(flat)).toMatchObject({ flat: true, under200MiB: true, maxRssMiB: 121 });
    const growing = Array.from({ length: 300 }, (_, t) => [t, 100 + t / 6] as [number, number]); // 10 MiB a minute
    const summary = soakSummary(growing);
    expect(summary.flat).toBe(false);
    expect(summary.tail.slopeMiBPerMinute).toBeCloseTo(10, 5);
    expect(summary.tail.fromSecond).toBe(179);
  });

  it("draws the same requests from the same seed, over every operation in the mixed blend", () => {
    const bench = new BenchData();
    const a = requestStream("Mixed", seedFor("Mixed", "warm"), bench);
    const b = requestStream("Mixed", seedFor("Mixed", "warm"), bench);
    const drawn = Array.from({ length: 2_000 }, () => a());
    expect(Array.from({ length: 2_000 }, () => b())).toEqual(drawn);
    expect(new Set(drawn.map((r) => r.operation))).toEqual(new Set(OPERATIONS));
    const products = new Set(
      Array.from({ length: 2_000 }, requestStream("ProductDetail", 1, bench)).map((r) => r.variables.id),
    );
    expect(products.size).toBeGreaterThan(1_000); // random over the whole 2,000-product catalog
  });
});
