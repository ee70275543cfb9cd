// The bench's arithmetic: dependent waves, the soak's RSS slope, the seeded request streams, rounds.
import { BenchData } from "../../bench/bench-data";
import { dependentWaves, type ProbeResult } from "../../bench/cold-probe";
import type { PhaseResult } from "../../bench/measure";
import { median } from "../../bench/median";
import { markdown, type BenchReport } from "../../bench/report";
import { requestStream } from "../../bench/request-stream";
import { parseOptions } from "../../bench/run-options";
import { mergeProbes, mergeRounds, ratioRange } from "../../bench/rounds";
import { compare } from "../../bench/verdicts";
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

  it("takes the median: the middle value, or the mean of the two middle ones, leaving its input as it was", () => {
    const values = [30, 10, 20];
    expect(median(values)).toBe(20);
    expect(values).toEqual([30, 10, 20]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
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

  describe("several rounds of a workload", () => {
    const phase = (server: PhaseResult["server"], round: number, rps: number, cpu: number, rss = 100): PhaseResult => ({
      workload: "ProductDetail",
      server,
      phase: "warm",
      round,
      requests: rps * 7,
      seconds: 7,
      rps,
      p50Ms: round,
      p99Ms: 10 * round,
      errors: 0,
      non2xx: round === 2 ? 1 : 0,
      graphqlErrors: 0,
      errorSamples: round === 2 ? ["503"] : [],
      loadGeneratorCores: 0.5,
      cpuMsPerRequest: cpu,
      upstreamCallsPerRequest: 0.2,
      maxRssMiB: rss,
      upstreamsCores: 0.3,
      rssPeakReset: true,
    });
    // Ours: 0.30, 0.20, 0.40 ms; the reference's 1.0, 1.0, 2.0: ratios by round 0.30, 0.20, 0.20.
    const rounds = [
      phase("bff", 1, 3_000, 0.3, 150),
      phase("reference", 1, 900, 1.0),
      phase("reference", 2, 1_000, 1.0),
      phase("bff", 2, 3_300, 0.2, 190),
      phase("bff", 3, 2_400, 0.4, 160),
      phase("reference", 3, 800, 2.0),
    ];

    /** A report of these rounds, as the bench writes it. */
    const reportOf = (verdicts: ReturnType<typeof compare>, perRound: PhaseResult[]): BenchReport => ({
      meta: {
        date: "2026-11-30T00:00:00.000Z",
        commit: null,
        node: "20",
        cpus: 2,
        loadAverageAtStart: [0, 0, 0],
        seconds: 7,
        connections: 16,
        rounds: 3,
        upstreamLatencyMs: 10,
        upstreamRoundTripMs: 11,
        catalog: { products: 2_000, users: 200 },
        durationSeconds: 60,
      },
      sanity: null,
      phases: mergeRounds(perRound),
      roundPhases: perRound,
      probes: [],
      tracing: [],
      ...verdicts,
    });

    it("takes --rounds from the command line: 1 unless told, at most 9", () => {
      expect(parseOptions([]).rounds).toBe(1);
      expect(parseOptions(["--rounds", "3", "--only", "ProductDetail"])).toMatchObject({ rounds: 3 });
      expect(() => parseOptions(["--rounds", "0"])).toThrow('--rounds must be an integer in 1..9, got "0"');
      expect(() => parseOptions(["--rounds", "10"])).toThrow("--rounds must be an integer in 1..9");
    });

    it("merges each server's rounds into medians, the highest RSS and the sums of requests and errors", () => {
      const [ours, reference] = mergeRounds(rounds);
      expect(ours).toMatchObject({ server: "bff", rounds: 3, rps: 3_000, cpuMsPerRequest: 0.3, p50Ms: 2, p99Ms: 20 });
      expect(ours).toMatchObject({
        maxRssMiB: 190,
        requests: (3_000 + 3_300 + 2_400) * 7,
        non2xx: 1,
        errorSamples: ["503"],
      });
      expect(ours?.round).toBeUndefined();
      expect(reference).toMatchObject({ server: "reference", rounds: 3, rps: 900, cpuMsPerRequest: 1.0 });
      expect(mergeRounds(rounds.slice(0, 2))).toEqual(rounds.slice(0, 2)); // one round: as measured
    });

    it("gives each ratio the range of its rounds, each against the same round's reference", () => {
      const ours = mergeRounds(rounds)[0] as PhaseResult;
      expect(ratioRange(rounds, ours, (p) => p.cpuMsPerRequest)).toEqual([0.2, 0.3]);
      expect(ratioRange(rounds, ours, (p) => p.rps)).toEqual([3, 3_000 / 900]);
      expect(ratioRange(rounds.slice(0, 2), ours, (p) => p.rps)).toBeNull(); // one pair: no range
    });

    it("judges the medians, and shows each ratio's range in the table", () => {
      const merged = mergeRounds(rounds);
      const verdicts = compare(merged, [], rounds);
      const [c] = verdicts.comparisons;
      expect(c).toMatchObject({ cpuRatio: 0.3, cpuRange: [0.2, 0.3], cpuPass: false, throughputPass: true });
      expect(c?.throughputRatio).toBeCloseTo(3_000 / 900, 10);
      const table = markdown(reportOf(verdicts, rounds));
      expect(table).toContain("3 rounds per workload");
      expect(table).toContain("| 0.30× (0.20–0.30) ❌");
      expect(table).toContain("| 3.3× (3.0–3.3) (≥ 3) ✅");
    });

    it("sets ours beside the lean server with --lean: its own table, each ratio against the same round's lean, not counted", () => {
      expect(parseOptions([]).lean).toBe(false);
      expect(parseOptions(["--lean"]).lean).toBe(true);
      // The lean server: 0.10, 0.10, 0.25 ms; ours ÷ lean by round 3.0, 2.0, 1.6; the medians 0.30 ÷ 0.10.
      const withLean = [
        ...rounds,
        phase("lean", 1, 5_000, 0.1),
        phase("lean", 2, 5_000, 0.1),
        phase("lean", 3, 4_000, 0.25),
      ];
      const merged = mergeRounds(withLean);
      const verdicts = compare(merged, [], withLean);
      const [c] = verdicts.comparisons;
      expect(c?.lean).toMatchObject({ server: "lean", cpuMsPerRequest: 0.1 });
      expect(c?.leanCpuRatio).toBeCloseTo(3, 10);
      expect(c?.leanCpuRange?.[0]).toBeCloseTo(1.6, 10);
      expect(c?.leanCpuRange?.[1]).toBeCloseTo(3, 10);
      expect(c).toMatchObject({ leanCpuPass: false, leanOfReferenceCpu: 0.1 });
      // The aim beside the lean server is shown, not judged: the same targets as without it.
      const without = compare(mergeRounds(rounds), [], rounds);
      expect([verdicts.passed, verdicts.judged]).toEqual([without.passed, without.judged]);
      expect(without.comparisons[0]).toMatchObject({ lean: null, leanCpuRatio: null, leanCpuPass: null });
      // The same targets, judged with the lean server in our place: 0.10 ÷ 1.00 CPU, 5,000 ÷ 900 req/s.
      expect([verdicts.passed, verdicts.judged]).toEqual([1, 2]);
      expect(verdicts.leanTargets).toEqual({ passed: 2, judged: 2 });
      expect(without.leanTargets).toBeNull();
      const table = markdown(reportOf(verdicts, withLean));
      expect(table).toContain("Against the lean server");
      expect(table).toContain("the lean server itself meets 2 of 2 of issue 8's targets in this run.");
      expect(table).toContain(
        "| ProductDetail | warm | 0.30 · 0.10 · 1.00 | 3.00× (1.60–3.00) ❌ | 0.10× | 3,000 · 5,000 · 900 |",
      );
      expect(markdown(reportOf(without, rounds))).not.toContain("lean");
    });

    it("merges the cold probes: the median latency of the rounds that had a fully cold probe", () => {
      const probe = (latencyMs: number | null, maxWaves: number): ProbeResult => ({
        workload: "MyOrders",
        server: "bff",
        hops: 2,
        coldProbes: latencyMs === null ? 0 : 5,
        probes: 8,
        latencyMs,
        excessMs: latencyMs === null ? null : latencyMs - 22,
        excessOverLatencyMs: latencyMs === null ? null : latencyMs - 20,
        maxWaves,
        graphqlErrors: 0,
      });
      const [merged] = mergeProbes([probe(30, 2), probe(null, 1), probe(26, 3), probe(28, 2)]);
      expect(merged).toMatchObject({ latencyMs: 28, excessMs: 6, excessOverLatencyMs: 8, maxWaves: 3 });
      expect(merged).toMatchObject({ coldProbes: 15, probes: 32 });
      expect(mergeProbes([probe(null, 1), probe(null, 1)])[0]?.latencyMs).toBeNull();
    });
  });
});
