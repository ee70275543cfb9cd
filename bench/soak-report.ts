// The soak's report: RSS over a long mixed run, whether it stays flat and under 200 MiB, and its Markdown.
import type { PhaseResult } from "./measure";
import { mark, num, type BenchReport } from "./report";

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
