// The bench's two outputs: results as JSON (BenchReport), and the Markdown tables the README shows.
import type { ProbeResult } from "./cold-probe";
import type { PhaseResult } from "./measure";
import type { SanityResult } from "./same-answers";
import { TARGETS, type Verdicts } from "./verdicts";
import { DEPENDENT_HOPS, OPERATIONS, type WorkloadName } from "./workloads";

export interface TracingCost {
  readonly workload: WorkloadName;
  readonly phase: PhaseResult["phase"];
  readonly spansPerRequest: number;
}

export interface BenchReport extends Verdicts {
  readonly meta: {
    readonly date: string;
    readonly commit: string | null;
    readonly node: string;
    readonly cpus: number;
    readonly loadAverageAtStart: number[];
    readonly seconds: number;
    readonly connections: number;
    /** Rounds per workload (`--rounds`); with more than one, every figure is the median of them. */
    readonly rounds?: number;
    readonly upstreamLatencyMs: number;
    /** Median GET straight to an upstream from the bench's client (round-trip.ts): what a hop costs at the least. */
    readonly upstreamRoundTripMs: number;
    readonly catalog: { products: number; users: number };
    readonly durationSeconds: number;
  };
  readonly sanity: SanityResult | null;
  /** Merged over rounds (rounds.ts): what the tables show and the verdicts judge. */
  readonly phases: PhaseResult[];
  /** With more than one round: every round's phases, as measured. */
  readonly roundPhases?: PhaseResult[];
  readonly probes: ProbeResult[];
  /** Spans exported per request by our BFF with tracing on (its phases are in `phases`, server `bff-traced`). */
  readonly tracing: TracingCost[];
}

export const num = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined
    ? "–"
    : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const mark = (pass: boolean | null): string => (pass === null ? "" : pass ? " ✅" : " ❌");
const ratio = (value: number | null, digits = 2, range: readonly [number, number] | null = null): string =>
  value === null
    ? "–"
    : `${value.toFixed(digits)}×${range ? ` (${range[0].toFixed(digits)}–${range[1].toFixed(digits)})` : ""}`;

export function markdown(report: BenchReport): string {
  const { meta } = report;
  const rounds = meta.rounds ?? 1;
  const lines: string[] = [];
  lines.push(
    `Run of ${meta.date}${meta.commit ? ` at ${meta.commit.slice(0, 10)}` : ""}: ${meta.seconds} s per phase, ${meta.connections} connections, ` +
      (rounds > 1
        ? `${rounds} rounds per workload (ours and the reference in turn; each figure the median of the rounds, each ratio's range over the rounds in brackets), `
        : "") +
      `upstream latency ${meta.upstreamLatencyMs} ms, ${num(meta.catalog.products)} products, ${meta.cpus} CPUs (load ${meta.loadAverageAtStart.map((l) => l.toFixed(1)).join(" ")} at start), ` +
      `Node ${meta.node}, ${Math.round(meta.durationSeconds)} s in all. Targets met: ${report.passed} of ${report.judged}.`,
    "",
    "| workload | phase | req/s ours | req/s ref | ours ÷ ref (target) | CPU ms/req ours | CPU ms/req ref | ours ÷ ref (≤ 0.25) | p50 / p99 ms ours | p50 / p99 ms ref | upstream calls/req ours · ref | max RSS MiB ours · ref | errors ours · ref |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const c of report.comparisons) {
    const { ours, reference: ref } = c;
    lines.push(
      `| ${c.workload} | ${c.phase} | ${num(ours.rps)} | ${num(ref?.rps)} | ${ratio(c.throughputRatio, 1, c.throughputRange)}${c.throughputTarget ? ` (≥ ${c.throughputTarget})${mark(c.throughputPass)}` : ""} ` +
        `| ${num(ours.cpuMsPerRequest, 2)} | ${num(ref?.cpuMsPerRequest, 2)} | ${ratio(c.cpuRatio, 2, c.cpuRange)}${mark(c.cpuPass)} ` +
        `| ${ours.p50Ms} / ${ours.p99Ms} | ${ref ? `${ref.p50Ms} / ${ref.p99Ms}` : "–"} | ${num(ours.upstreamCallsPerRequest, 2)} · ${num(ref?.upstreamCallsPerRequest, 2)} ` +
        `| ${num(ours.maxRssMiB)} · ${num(ref?.maxRssMiB)} | ${errorCount(ours)} · ${errorCount(ref)} |`,
    );
  }
  if (report.comparisons.some((c) => c.lean)) {
    lines.push(
      "",
      `Against the lean server (bench/lean, \`--lean\`): node:http, graphql-js, jose, undici, DataLoader and an in-process cache under the reference's resolvers; none of our features. ` +
        `What it costs is about the least a GraphQL server costs on this machine; issue 8 wants ours within ${TARGETS.leanCpuRatioMax}× of it (shown, not counted in the targets above).` +
        (report.leanTargets
          ? ` Judged in our place against the reference, the lean server itself meets ${report.leanTargets.passed} of ${report.leanTargets.judged} of issue 8's targets in this run.`
          : ""),
      "",
      `| workload | phase | CPU ms/req ours · lean · ref | ours ÷ lean (≤ ${TARGETS.leanCpuRatioMax}) | lean ÷ ref | req/s ours · lean · ref | p50 / p99 ms lean | upstream calls/req lean | errors lean |`,
      "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const c of report.comparisons) {
      const { ours, lean, reference: ref } = c;
      if (!lean) continue;
      lines.push(
        `| ${c.workload} | ${c.phase} | ${num(ours.cpuMsPerRequest, 2)} · ${num(lean.cpuMsPerRequest, 2)} · ${num(ref?.cpuMsPerRequest, 2)} ` +
          `| ${ratio(c.leanCpuRatio, 2, c.leanCpuRange)}${mark(c.leanCpuPass)} | ${ratio(c.leanOfReferenceCpu)} ` +
          `| ${num(ours.rps)} · ${num(lean.rps)} · ${num(ref?.rps)} | ${lean.p50Ms} / ${lean.p99Ms} | ${num(lean.upstreamCallsPerRequest, 2)} | ${errorCount(lean)} |`,
      );
    }
  }
  if (report.latency.length) {
    const withLean = report.latency.some((l) => l.lean);
    lines.push(
      "",
      `Cold request, one connection (fresh process; median of the probes whose upstream trace shows every hop): excess = latency − hops × ${meta.upstreamRoundTripMs.toFixed(1)} ms, ` +
        `the median round trip of a GET from the bench's client straight to an upstream (latency ${meta.upstreamLatencyMs} ms plus what the demo upstream, loopback and a client cost); ` +
        `target ≤ ${TARGETS.latencyExcessMaxMs} ms. In brackets, latency − hops × ${meta.upstreamLatencyMs} ms, as runs before this one reported it.`,
      "",
      "| operation | dependent hops | ours: latency ms, excess (over 10 ms hops) | ours: waves max · cold probes | ref: latency ms, excess (over 10 ms hops) | ref: waves max · cold probes |" +
        (withLean ? " lean: latency ms, excess (over 10 ms hops) | lean: waves max · cold probes |" : ""),
      `|---|---:|---:|---:|---:|---:|${withLean ? "---:|---:|" : ""}`,
    );
    for (const l of report.latency) {
      const cell = (p: ProbeResult | null): string =>
        p && p.latencyMs !== null
          ? `${p.latencyMs.toFixed(1)}, ${signed(p.excessMs!)} (${signed(p.excessOverLatencyMs!)})`
          : "–";
      const waves = (p: ProbeResult | null): string => (p ? `${p.maxWaves} · ${p.coldProbes}/${p.probes}` : "–");
      lines.push(
        `| ${l.workload} | ${DEPENDENT_HOPS[l.workload].hops} | ${cell(l.ours)}${mark(l.pass)} | ${waves(l.ours)} | ${cell(l.reference)} | ${waves(l.reference)} |` +
          (withLean ? ` ${cell(l.lean)} | ${waves(l.lean)} |` : ""),
      );
    }
  }
  if (report.tracing.length) {
    lines.push(
      "",
      "Tracing (issue 12): the same workload against our BFF with every span exported over OTLP/HTTP to a collector in the bench process, in round 1, beside round 1 with tracing off. The targets above are judged with tracing off.",
      "",
      "| workload | phase | CPU ms/req off · on | on ÷ off | req/s off · on | p99 ms off · on | spans exported per request |",
      "|---|---|---:|---:|---:|---:|---:|",
    );
    for (const t of report.tracing) {
      // Tracing runs in round 1 only: against round 1 of ours with tracing off, not the median.
      const off = (report.roundPhases ?? report.phases).find(
        (p) => p.server === "bff" && p.workload === t.workload && p.phase === t.phase && (p.round ?? 1) === 1,
      );
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
      `Same answers: ${s.requests} requests (${OPERATIONS.length} operations) sent to every server, ${s.mismatches.length} with different data, ${s.failures.length} answered with errors.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

const errorCount = (p: PhaseResult | null): string => (p ? String(p.errors + p.non2xx + p.graphqlErrors) : "–");
const signed = (ms: number): string => `${ms >= 0 ? "+" : ""}${ms.toFixed(1)}`;
