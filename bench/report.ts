// The bench's verdicts and its two outputs: results as JSON, and the Markdown tables the README shows.
import type { PhaseResult, ProbeResult, SanityResult } from "./measure";
import { DEPENDENT_HOPS, OPERATIONS, type OperationName, type WorkloadName } from "./workloads";

/** Issue 8, item 2, as ratios of one run: ours / the reference's. */
export const TARGETS = {
  /** CPU per request, on every workload, cold and warm: at most this share of the reference's. */
  cpuRatioMax: 0.25,
  /** Throughput, at least this multiple of the reference's (workloads without an entry have no target). */
  throughputRatioMin: {
    ProductDetail: 3,
    ProductList: 3,
    DashboardOverview: 3,
    CatalogAdmin: 5,
    MyOrders: 2,
  } as Partial<Record<WorkloadName, number>>,
  /** Cold one-connection latency: at most this many ms above hops x upstream latency. */
  latencyExcessMaxMs: 3,
};

export interface Comparison {
  readonly workload: WorkloadName;
  readonly phase: PhaseResult["phase"];
  readonly ours: PhaseResult;
  readonly reference: PhaseResult | null;
  readonly cpuRatio: number | null;
  readonly cpuPass: boolean | null;
  readonly throughputRatio: number | null;
  readonly throughputTarget: number | null;
  readonly throughputPass: boolean | null;
}

export interface TracingCost {
  readonly workload: WorkloadName;
  readonly phase: PhaseResult["phase"];
  readonly spansPerRequest: number;
}

export interface LatencyVerdict {
  readonly workload: OperationName;
  readonly ours: ProbeResult;
  readonly reference: ProbeResult | null;
  /** Null when no probe was fully cold (nothing to judge). */
  readonly pass: boolean | null;
}

export interface BenchReport {
  readonly meta: {
    readonly date: string;
    readonly commit: string | null;
    readonly node: string;
    readonly cpus: number;
    readonly loadAverageAtStart: number[];
    readonly seconds: number;
    readonly connections: number;
    readonly upstreamLatencyMs: number;
    readonly catalog: { products: number; users: number };
    readonly durationSeconds: number;
  };
  readonly sanity: SanityResult | null;
  readonly phases: PhaseResult[];
  readonly probes: ProbeResult[];
  /** Spans exported per request by our BFF with tracing on (its phases are in `phases`, server `bff-traced`). */
  readonly tracing: TracingCost[];
  readonly comparisons: Comparison[];
  readonly latency: LatencyVerdict[];
  readonly passed: number;
  readonly judged: number;
}

export function compare(
  phases: readonly PhaseResult[],
  probes: readonly ProbeResult[],
): Pick<BenchReport, "comparisons" | "latency" | "passed" | "judged"> {
  const comparisons: Comparison[] = [];
  for (const ours of phases.filter((p) => p.server === "bff" && p.phase !== "soak")) {
    const reference =
      phases.find((p) => p.server === "reference" && p.workload === ours.workload && p.phase === ours.phase) ?? null;
    const cpuRatio =
      reference && reference.cpuMsPerRequest > 0 ? ours.cpuMsPerRequest / reference.cpuMsPerRequest : null;
    const throughputRatio = reference && reference.rps > 0 ? ours.rps / reference.rps : null;
    const throughputTarget = TARGETS.throughputRatioMin[ours.workload] ?? null;
    comparisons.push({
      workload: ours.workload,
      phase: ours.phase,
      ours,
      reference,
      cpuRatio,
      cpuPass: cpuRatio === null ? null : cpuRatio <= TARGETS.cpuRatioMax,
      throughputRatio,
      throughputTarget,
      throughputPass:
        throughputRatio === null || throughputTarget === null ? null : throughputRatio >= throughputTarget,
    });
  }
  const latency: LatencyVerdict[] = probes
    .filter((p) => p.server === "bff")
    .map((ours) => ({
      workload: ours.workload,
      ours,
      reference: probes.find((p) => p.server === "reference" && p.workload === ours.workload) ?? null,
      pass: ours.excessMs === null ? null : ours.excessMs <= TARGETS.latencyExcessMaxMs && ours.maxWaves <= ours.hops,
    }));
  const verdicts = [...comparisons.flatMap((c) => [c.cpuPass, c.throughputPass]), ...latency.map((l) => l.pass)].filter(
    (v) => v !== null,
  );
  return { comparisons, latency, passed: verdicts.filter(Boolean).length, judged: verdicts.length };
}

const num = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? "–"
    : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mark = (pass: boolean | null): string => (pass === null ? "" : pass ? " ✅" : " ❌");
const ratio = (value: number | null, digits = 2): string => (value === null ? "–" : `${value.toFixed(digits)}×`);

export function markdown(report: BenchReport): string {
  const { meta } = report;
  const lines: string[] = [];
  lines.push(
    `Run of ${meta.date}${meta.commit ? ` at ${meta.commit.slice(0, 10)}` : ""}: ${meta.seconds} s per phase, ${meta.connections} connections, ` +
      `upstream latency ${meta.upstreamLatencyMs} ms, ${num(meta.catalog.products)} products, ${meta.cpus} CPUs (load ${meta.loadAverageAtStart.map((l) => l.toFixed(1)).join(" ")} at start), ` +
      `Node ${meta.node}, ${Math.round(meta.durationSeconds)} s in all. Targets met: ${report.passed} of ${report.judged}.`,
    "",
    "| workload | phase | req/s ours | req/s ref | ours ÷ ref (target) | CPU ms/req ours | CPU ms/req ref | ours ÷ ref (≤ 0.25) | p50 / p99 ms ours | p50 / p99 ms ref | upstream calls/req ours · ref | max RSS MiB ours · ref | errors ours · ref |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const c of report.comparisons) {
    const { ours, reference: ref } = c;
    const errors = (p: PhaseResult | null): string => (p ? String(p.errors + p.non2xx + p.graphqlErrors) : "–");
    lines.push(
      `| ${c.workload} | ${c.phase} | ${num(ours.rps)} | ${num(ref?.rps)} | ${ratio(c.throughputRatio, 1)}${c.throughputTarget ? ` (≥ ${c.throughputTarget})${mark(c.throughputPass)}` : ""} ` +
        `| ${num(ours.cpuMsPerRequest, 2)} | ${num(ref?.cpuMsPerRequest, 2)} | ${ratio(c.cpuRatio)}${mark(c.cpuPass)} ` +
        `| ${ours.p50Ms} / ${ours.p99Ms} | ${ref ? `${ref.p50Ms} / ${ref.p99Ms}` : "–"} | ${num(ours.upstreamCallsPerRequest, 2)} · ${num(ref?.upstreamCallsPerRequest, 2)} ` +
        `| ${num(ours.maxRssMiB)} · ${num(ref?.maxRssMiB)} | ${errors(ours)} · ${errors(ref)} |`,
    );
  }
  if (report.latency.length) {
    lines.push(
      "",
      `Cold request, one connection (fresh process; median of the probes whose upstream trace shows every hop): latency − hops × ${meta.upstreamLatencyMs} ms, target ≤ ${TARGETS.latencyExcessMaxMs} ms.`,
      "",
      "| operation | dependent hops | ours: latency ms (excess) | ours: waves max · cold probes | ref: latency ms (excess) | ref: waves max · cold probes |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const l of report.latency) {
      const cell = (p: ProbeResult | null): string =>
        p && p.latencyMs !== null
          ? `${p.latencyMs.toFixed(1)} (${p.excessMs! >= 0 ? "+" : ""}${p.excessMs!.toFixed(1)})`
          : "–";
      const waves = (p: ProbeResult | null): string => (p ? `${p.maxWaves} · ${p.coldProbes}/${p.probes}` : "–");
      lines.push(
        `| ${l.workload} | ${DEPENDENT_HOPS[l.workload].hops} | ${cell(l.ours)}${mark(l.pass)} | ${waves(l.ours)} | ${cell(l.reference)} | ${waves(l.reference)} |`,
      );
    }
  }
  if (report.tracing.length) {
    lines.push(
      "",
      "Tracing (issue 12): the same workload against our BFF with every span exported over OTLP/HTTP to a collector in the bench process. The targets above are judged with tracing off.",
      "",
      "| workload | phase | CPU ms/req off · on | on ÷ off | req/s off · on | p99 ms off · on | spans exported per request |",
      "|---|---|---:|---:|---:|---:|---:|",
    );
    for (const t of report.tracing) {
      const off = report.phases.find((p) => p.server === "bff" && p.workload === t.workload && p.phase === t.phase);
      const on = report.phases.find(
        (p) => p.server === "bff-traced" && p.workload === t.workload && p.phase === t.phase,
      );
      if (!off || !on) continue;
      lines.push(
        `| ${t.workload} | ${t.phase} | ${num(off.cpuMsPerRequest, 2)} · ${num(on.cpuMsPerRequest, 2)} | ${ratio(off.cpuMsPerRequest > 0 ? on.cpuMsPerRequest / off.cpuMsPerRequest : null)} ` +
          `| ${num(off.rps)} · ${num(on.rps)} | ${off.p99Ms} · ${on.p99Ms} | ${num(t.spansPerRequest, 1)} |`,
      );
    }
  }
  if (report.sanity) {
    const s = report.sanity;
    lines.push(
      "",
      `Same answers: ${s.requests} requests (${OPERATIONS.length} operations) sent to both servers, ${s.mismatches.length} with different data, ${s.failures.length} answered with errors.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export interface SoakReport {
  readonly meta: BenchReport["meta"];
  readonly load: PhaseResult;
  /** [seconds since start, RSS MiB], one a second. */
  readonly samples: Array<[number, number]>;
  readonly maxRssMiB: number;
  /** Over the last two minutes (or the last half, if shorter): least-squares slope and range. */
  readonly tail: {
    readonly fromSecond: number;
    readonly slopeMiBPerMinute: number;
    readonly minMiB: number;
    readonly maxMiB: number;
  };
  readonly flat: boolean;
  readonly under200MiB: boolean;
}

/** Flat: the last two minutes' fitted slope is under this many MiB per minute. */
export const FLAT_SLOPE_MIB_PER_MINUTE = 2;

export function soakSummary(
  samples: Array<[number, number]>,
): Pick<SoakReport, "maxRssMiB" | "tail" | "flat" | "under200MiB"> {
  const last = samples.at(-1)?.[0] ?? 0;
  const fromSecond = Math.max(last - 120, last / 2);
  const tail = samples.filter(([t]) => t >= fromSecond);
  const n = tail.length;
  const meanT = tail.reduce((s, [t]) => s + t, 0) / Math.max(1, n);
  const meanR = tail.reduce((s, [, r]) => s + r, 0) / Math.max(1, n);
  const cov = tail.reduce((s, [t, r]) => s + (t - meanT) * (r - meanR), 0);
  const varT = tail.reduce((s, [t]) => s + (t - meanT) ** 2, 0);
  const slopeMiBPerMinute = varT > 0 ? (cov / varT) * 60 : 0;
  const maxRssMiB = Math.max(0, ...samples.map(([, r]) => r));
  return {
    maxRssMiB,
    tail: {
      fromSecond: Math.round(fromSecond),
      slopeMiBPerMinute,
      minMiB: Math.min(...tail.map(([, r]) => r)),
      maxMiB: Math.max(...tail.map(([, r]) => r)),
    },
    flat: Math.abs(slopeMiBPerMinute) < FLAT_SLOPE_MIB_PER_MINUTE,
    under200MiB: maxRssMiB < 200,
  };
}

export function soakMarkdown(soak: SoakReport): string {
  const { load, tail } = soak;
  return [
    `Soak of ${soak.meta.date}: the mixed workload, ${soak.meta.connections} connections, ${Math.round(load.seconds)} s, against our BFF only.`,
    "",
    "| req/s | p50 / p99 ms | CPU ms/req | max RSS MiB (target < 200) | last 2 min: slope MiB/min, range MiB (target: flat, under 2 MiB/min either way) | errors |",
    "|---:|---:|---:|---:|---:|---:|",
    `| ${num(load.rps)} | ${load.p50Ms} / ${load.p99Ms} | ${num(load.cpuMsPerRequest, 2)} | ${num(soak.maxRssMiB)}${mark(soak.under200MiB)} | ${tail.slopeMiBPerMinute.toFixed(2)}, ${num(tail.minMiB)}–${num(tail.maxMiB)}${mark(soak.flat)} | ${load.errors + load.non2xx + load.graphqlErrors} |`,
    "",
  ].join("\n");
}
