// What a report says about its run: when, at which commit, on what machine, with which settings.
import { execFileSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { repoRoot } from "./paths";
import type { BenchReport } from "./report";
import type { Options } from "./run-options";
import { BENCH_SIZES } from "./workloads";

/** The latency every demo upstream adds to each answer, ms. */
export const UPSTREAM_LATENCY_MS = 10;

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot(), encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

/** When the bench started (module load). */
export const started = Date.now();
export const meta = (options: Options, upstreamRoundTripMs: number): BenchReport["meta"] => ({
  date: new Date(started).toISOString(),
  commit: gitCommit(),
  node: process.versions.node,
  cpus: availableParallelism(),
  loadAverageAtStart: loadavg(),
  seconds: options.seconds,
  connections: options.connections,
  rounds: options.rounds,
  upstreamLatencyMs: UPSTREAM_LATENCY_MS,
  upstreamRoundTripMs,
  catalog: BENCH_SIZES,
  durationSeconds: (Date.now() - started) / 1000,
});
