// One load phase, measured from outside the server: autocannon in its own process, the server's CPU
// from /proc before and after, its peak RSS, and the upstream calls. The one-connection cold latency
// probe is in cold-probe.ts, the same-answers check in same-answers.ts.
import { fork } from "node:child_process";
import { SERVICE_NAMES } from "../src/services";
import type { LoadJob, LoadResult } from "./load-worker";
import { entryPoints } from "./paths";
import { cpuMs, memory, mib, resetPeakRss } from "./proc";
import type { ServerProcess } from "./server-process";
import type { UpstreamsProcess } from "./upstreams-process";
import { seedFor, type Tokens, type WorkloadName } from "./workloads";

export type Phase = "cold" | "warm" | "soak";

export interface PhaseResult extends LoadResult {
  readonly workload: WorkloadName;
  readonly server: ServerProcess["kind"];
  readonly phase: Phase;
  readonly cpuMsPerRequest: number;
  readonly upstreamCallsPerRequest: number;
  readonly maxRssMiB: number;
  /** Cores the demo upstreams kept busy (near 1: they, not the server, may be the limit). */
  readonly upstreamsCores: number;
  /** False when VmHWM could not be reset: maxRssMiB is then the process's peak so far. */
  readonly rssPeakReset: boolean;
  /** The round of `--rounds` it was measured in. */
  readonly round?: number;
  /** A result merged over rounds (rounds.ts): how many it is the median of. */
  readonly rounds?: number;
}

export interface LoadSettings {
  readonly connections: number;
  readonly seconds: number;
  readonly tokens: Tokens;
}

/** Forks the load generator and hands it the job; `started` runs once it is ready to fire. */
export async function runLoadProcess(job: LoadJob, started: () => Promise<void>): Promise<LoadResult> {
  const child = fork(entryPoints().loadWorker, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const kill = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", kill);
  child.once("exit", () => process.removeListener("exit", kill));
  return new Promise<LoadResult>((resolve, reject) => {
    child.on("message", (message) => {
      if (message === "ready") {
        started().then(() => child.send("go"), reject);
        return;
      }
      resolve(message as LoadResult);
    });
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`bench: the load generator exited with ${code}`));
    });
    child.send(job);
  });
}

export async function measurePhase(
  server: ServerProcess,
  upstreams: UpstreamsProcess,
  workload: WorkloadName,
  phase: Phase,
  settings: LoadSettings,
  sample?: (elapsedMs: number) => void,
): Promise<PhaseResult> {
  let cpuBefore = 0;
  let upstreamsCpuBefore = 0;
  let rssPeakReset = false;
  let timer: NodeJS.Timeout | undefined;
  const job: LoadJob = {
    url: server.url,
    workload,
    seed: seedFor(workload, phase),
    connections: settings.connections,
    seconds: settings.seconds,
    tokens: settings.tokens,
  };
  const load = await runLoadProcess(job, async () => {
    await upstreams.reset();
    rssPeakReset = resetPeakRss(server.pid);
    cpuBefore = cpuMs(server.pid);
    upstreamsCpuBefore = cpuMs(upstreams.pid);
    if (sample) {
      const start = performance.now();
      timer = setInterval(() => sample(performance.now() - start), 1_000);
    }
  });
  clearInterval(timer);
  if (server.process.exitCode !== null || server.process.signalCode !== null) {
    throw new Error(
      `bench: ${server.kind} exited during ${workload} (${server.process.exitCode ?? server.process.signalCode}): ${server.stderr()}`,
    );
  }
  const cpu = cpuMs(server.pid) - cpuBefore;
  const upstreamsCpu = cpuMs(upstreams.pid) - upstreamsCpuBefore;
  const { peakRssBytes } = memory(server.pid);
  const counts = await upstreams.counts();
  const calls = SERVICE_NAMES.reduce((sum, s) => sum + counts[s], 0);
  const answered = Math.max(1, load.requests);
  return {
    ...load,
    workload,
    server: server.kind,
    phase,
    cpuMsPerRequest: cpu / answered,
    upstreamCallsPerRequest: calls / answered,
    maxRssMiB: mib(peakRssBytes),
    upstreamsCores: load.seconds > 0 ? upstreamsCpu / 1000 / load.seconds : 0,
    rssPeakReset,
  };
}
