// The bench's verdicts: issue 8's targets, and how one run's phases and probes are judged against them.
import type { ProbeResult } from "./cold-probe";
import type { PhaseResult } from "./measure";
import { ratioRange } from "./rounds";
import type { OperationName, WorkloadName } from "./workloads";

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
  /**
   * CPU per request, at most this multiple of the lean server's (bench/lean, with `--lean`): "within 2x
   * of it is where we want to be". The aim, not one of its targets: shown, not counted.
   */
  leanCpuRatioMax: 2,
};

export interface Comparison {
  readonly workload: WorkloadName;
  readonly phase: PhaseResult["phase"];
  readonly ours: PhaseResult;
  readonly reference: PhaseResult | null;
  readonly cpuRatio: number | null;
  /** With several rounds: the lowest and highest ratio of one round (rounds.ts). */
  readonly cpuRange: readonly [number, number] | null;
  readonly cpuPass: boolean | null;
  readonly throughputRatio: number | null;
  readonly throughputRange: readonly [number, number] | null;
  readonly throughputTarget: number | null;
  readonly throughputPass: boolean | null;
  /** With `--lean`: the lean server's phase, ours ÷ its CPU per request (and range), and its ÷ the reference's. */
  readonly lean: PhaseResult | null;
  readonly leanCpuRatio: number | null;
  readonly leanCpuRange: readonly [number, number] | null;
  readonly leanCpuPass: boolean | null;
  readonly leanOfReferenceCpu: number | null;
}

export interface LatencyVerdict {
  readonly workload: OperationName;
  readonly ours: ProbeResult;
  readonly reference: ProbeResult | null;
  readonly lean: ProbeResult | null;
  /** Null when no probe was fully cold (nothing to judge). */
  readonly pass: boolean | null;
}

/** The judgement of one run against TARGETS: what a BenchReport carries besides its measurements. */
export interface Verdicts {
  readonly comparisons: Comparison[];
  readonly latency: LatencyVerdict[];
  readonly passed: number;
  readonly judged: number;
  /**
   * With `--lean`: the same targets judged with the lean server in place of ours. What the least
   * server meets on this machine in this run bounds what any BFF with our features can.
   */
  readonly leanTargets: { readonly passed: number; readonly judged: number } | null;
}

/**
 * Judges `phases` and `probes` (merged over rounds when there were several) against TARGETS;
 * `perRound`, every round's phases, gives each ratio its range.
 */
export function compare(
  phases: readonly PhaseResult[],
  probes: readonly ProbeResult[],
  perRound: readonly PhaseResult[] = [],
): Verdicts {
  const comparisons: Comparison[] = [];
  for (const ours of phases.filter((p) => p.server === "bff" && p.phase !== "soak")) {
    const other = (server: PhaseResult["server"]): PhaseResult | null =>
      phases.find((p) => p.server === server && p.workload === ours.workload && p.phase === ours.phase) ?? null;
    const cpuOver = (a: PhaseResult | null, b: PhaseResult | null): number | null =>
      a && b && b.cpuMsPerRequest > 0 ? a.cpuMsPerRequest / b.cpuMsPerRequest : null;
    const reference = other("reference");
    const lean = other("lean");
    const cpuRatio = cpuOver(ours, reference);
    const leanCpuRatio = cpuOver(ours, lean);
    const throughputRatio = reference && reference.rps > 0 ? ours.rps / reference.rps : null;
    const throughputTarget = TARGETS.throughputRatioMin[ours.workload] ?? null;
    comparisons.push({
      workload: ours.workload,
      phase: ours.phase,
      ours,
      reference,
      cpuRatio,
      cpuRange: ratioRange(perRound, ours, (p) => p.cpuMsPerRequest),
      cpuPass: cpuRatio === null ? null : cpuRatio <= TARGETS.cpuRatioMax,
      throughputRatio,
      throughputRange: ratioRange(perRound, ours, (p) => p.rps),
      throughputTarget,
      throughputPass:
        throughputRatio === null || throughputTarget === null ? null : throughputRatio >= throughputTarget,
      lean,
      leanCpuRatio,
      leanCpuRange: ratioRange(perRound, ours, (p) => p.cpuMsPerRequest, "lean"),
      leanCpuPass: leanCpuRatio === null ? null : leanCpuRatio <= TARGETS.leanCpuRatioMax,
      leanOfReferenceCpu: cpuOver(lean, reference),
    });
  }
  const latency: LatencyVerdict[] = probes
    .filter((p) => p.server === "bff")
    .map((ours) => ({
      workload: ours.workload,
      ours,
      reference: probes.find((p) => p.server === "reference" && p.workload === ours.workload) ?? null,
      lean: probes.find((p) => p.server === "lean" && p.workload === ours.workload) ?? null,
      pass: ours.excessMs === null ? null : ours.excessMs <= TARGETS.latencyExcessMaxMs && ours.maxWaves <= ours.hops,
    }));
  const verdicts = [...comparisons.flatMap((c) => [c.cpuPass, c.throughputPass]), ...latency.map((l) => l.pass)].filter(
    (v) => v !== null,
  );
  const hasLean = phases.some((p) => p.server === "lean");
  const lean = hasLean ? compare(asOurs(phases), asOurs(probes), asOurs(perRound)) : null;
  return {
    comparisons,
    latency,
    passed: verdicts.filter(Boolean).length,
    judged: verdicts.length,
    leanTargets: lean && { passed: lean.passed, judged: lean.judged },
  };
}

/** The lean server's results as if they were ours, beside the reference's (and nothing else). */
function asOurs<T extends { readonly server: PhaseResult["server"] }>(results: readonly T[]): T[] {
  return results
    .filter((r) => r.server === "lean" || r.server === "reference")
    .map((r) => (r.server === "lean" ? { ...r, server: "bff" } : r));
}
