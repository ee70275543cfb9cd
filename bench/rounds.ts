// Several rounds of one workload, as one result: what `--rounds N` judges (two runs of one code
// on this machine swing by 20 % and more, so that one round's ratios can pass or fail by luck).
import type { ProbeResult } from "./cold-probe";
import type { PhaseResult } from "./measure";
import { median } from "./median";

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Groups by `key`, keeping the first-seen order of the groups. */
function groups<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = byKey.get(k);
    if (group) group.push(item);
    else byKey.set(k, [item]);
  }
  return [...byKey.values()];
}

const phaseKey = (p: PhaseResult): string => `${p.workload}|${p.server}|${p.phase}`;

/**
 * One PhaseResult per workload, server and phase over its rounds: the median of every rate,
 * latency and per-request figure, the highest peak RSS, the sum of requests and errors.
 */
export function mergeRounds(phases: readonly PhaseResult[]): PhaseResult[] {
  return groups(phases, phaseKey).map((rounds) => {
    const first = rounds[0] as PhaseResult;
    if (rounds.length === 1) return first;
    const med = (pick: (p: PhaseResult) => number): number => median(rounds.map(pick));
    const { round: _first, ...measured } = first;
    return {
      ...measured,
      requests: sum(rounds.map((p) => p.requests)),
      seconds: med((p) => p.seconds),
      rps: med((p) => p.rps),
      p50Ms: med((p) => p.p50Ms),
      p99Ms: med((p) => p.p99Ms),
      errors: sum(rounds.map((p) => p.errors)),
      non2xx: sum(rounds.map((p) => p.non2xx)),
      graphqlErrors: sum(rounds.map((p) => p.graphqlErrors)),
      errorSamples: rounds.flatMap((p) => p.errorSamples).slice(0, 3),
      loadGeneratorCores: med((p) => p.loadGeneratorCores),
      cpuMsPerRequest: med((p) => p.cpuMsPerRequest),
      upstreamCallsPerRequest: med((p) => p.upstreamCallsPerRequest),
      maxRssMiB: Math.max(...rounds.map((p) => p.maxRssMiB)),
      upstreamsCores: med((p) => p.upstreamsCores),
      rssPeakReset: rounds.every((p) => p.rssPeakReset),
      rounds: rounds.length,
    };
  });
}

/**
 * One ProbeResult per operation and server over its rounds: the median latency of the rounds that
 * had a fully cold probe, the most waves any probe made, the probes of every round counted.
 */
export function mergeProbes(probes: readonly ProbeResult[]): ProbeResult[] {
  return groups(probes, (p) => `${p.workload}|${p.server}`).map((rounds) => {
    const first = rounds[0] as ProbeResult;
    if (rounds.length === 1) return first;
    const judged = rounds.filter((p) => p.latencyMs !== null);
    const med = (pick: (p: ProbeResult) => number | null): number | null =>
      judged.length ? median(judged.map((p) => pick(p) as number)) : null;
    return {
      ...first,
      coldProbes: sum(rounds.map((p) => p.coldProbes)),
      probes: sum(rounds.map((p) => p.probes)),
      latencyMs: med((p) => p.latencyMs),
      excessMs: med((p) => p.excessMs),
      excessOverLatencyMs: med((p) => p.excessOverLatencyMs),
      maxWaves: Math.max(...rounds.map((p) => p.maxWaves)),
      graphqlErrors: sum(rounds.map((p) => p.graphqlErrors)),
    };
  });
}

/**
 * The lowest and highest of one ratio (ours ÷ the reference's, or ÷ `against`'s) over the rounds, each
 * round's figure against the same round's other server: how far one round alone could have been from
 * the median. Null with fewer than two paired rounds.
 */
export function ratioRange(
  perRound: readonly PhaseResult[],
  ours: PhaseResult,
  pick: (p: PhaseResult) => number,
  against: PhaseResult["server"] = "reference",
): readonly [number, number] | null {
  const same = (p: PhaseResult, server: PhaseResult["server"]): boolean =>
    p.server === server && p.workload === ours.workload && p.phase === ours.phase;
  const ratios = perRound
    .filter((p) => same(p, ours.server))
    .flatMap((o) => {
      const ref = perRound.find((p) => same(p, against) && p.round === o.round);
      return ref && pick(ref) > 0 ? [pick(o) / pick(ref)] : [];
    });
  return ratios.length >= 2 ? [Math.min(...ratios), Math.max(...ratios)] : null;
}
