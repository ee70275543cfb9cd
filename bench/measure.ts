// One measurement at a time, all from outside the server: a load phase (autocannon in its own
// process; the server's CPU from /proc before and after; its peak RSS; upstream calls), the
// one-connection cold latency probe (with the upstreams' trace of each request), and the check
// that our BFF and the reference answer the same requests with the same data.
import { fork } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { SERVICE_NAMES } from "../src/services";
import type { TracedCall } from "../upstreams/service-control";
import type { LoadJob, LoadResult } from "./load-worker";
import { entryPoints } from "./paths";
import { cpuMs, memory, mib, resetPeakRss } from "./proc";
import { send, type ServerProcess, type UpstreamsControl, type UpstreamsProcess } from "./processes";
import {
  BenchData,
  DEPENDENT_HOPS,
  encodeRequest,
  loadDocuments,
  requestStream,
  seedFor,
  type OperationName,
  type Tokens,
  type WorkloadName,
} from "./workloads";

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

export interface ProbeResult {
  readonly workload: OperationName;
  readonly server: ServerProcess["kind"];
  readonly hops: number;
  /** Probes whose upstream trace shows every hop (a fully cold request). */
  readonly coldProbes: number;
  readonly probes: number;
  /** Median latency of the fully cold probes, ms (null: none was fully cold). */
  readonly latencyMs: number | null;
  /** latencyMs - hops x upstream latency: what the server itself added. */
  readonly excessMs: number | null;
  /** The most dependent waves any probe made: more than `hops` means independent calls waited for each other. */
  readonly maxWaves: number;
  readonly graphqlErrors: number;
}

/**
 * Dependent waves of one request's upstream calls: the longest chain in which each call started
 * only after the previous one was answered (the upstreams record arrival and answer times).
 */
export function dependentWaves(calls: readonly TracedCall[]): number {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let deepest = 0;
    for (let j = 0; j < i; j++) {
      const before = sorted[j] as TracedCall;
      if (before.endMs >= 0 && before.endMs <= call.startMs) deepest = Math.max(deepest, depth[j] as number);
    }
    depth.push(deepest + 1);
  });
  return Math.max(0, ...depth);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * The one-connection cold latency of `operation` on a fresh server: a few requests first (so that
 * the code is compiled), then probes with variables not seen before, one at a time over one
 * keep-alive connection, each traced through the upstreams. Only probes whose trace shows every
 * hop of DEPENDENT_HOPS count (a probe whose authors, say, were cached by the warm-up has one wave less).
 */
export async function probeColdLatency(
  server: Pick<ServerProcess, "kind" | "url">,
  upstreams: UpstreamsControl,
  operation: OperationName,
  tokens: Tokens,
  latencyMs: number,
): Promise<ProbeResult> {
  const bench = new BenchData();
  const documents = loadDocuments();
  const { hops } = DEPENDENT_HOPS[operation];
  const probes = operation === "Categories" ? 1 : 8;
  // Enough requests to compile the request path, few enough to leave the probes' data cold. Categories
  // is one resource: its warm-up is ProductList (the same path, no categories).
  const warmups = operation === "CatalogAdmin" ? 3 : operation === "DashboardOverview" ? 5 : 20;
  const warmup = requestStream(
    operation === "Categories" ? "ProductList" : operation,
    seedFor(operation, "probe-warmup"),
    bench,
  );
  for (let i = 0; i < warmups; i++) {
    const { body, headers } = encodeRequest(warmup(), documents, tokens);
    await send(server.url, { method: "POST", body, headers });
  }
  await upstreams.reset();
  const next = requestStream(operation, seedFor(operation, "probe"), bench);
  const seen = new Set<string>();
  const measured: Array<{ id: string; ms: number }> = [];
  let graphqlErrors = 0;
  for (let i = 0; measured.length < probes && i < probes * 20; i++) {
    const request = next();
    const key = JSON.stringify(request.variables);
    if (seen.has(key) && operation !== "Categories") continue; // fresh variables only
    seen.add(key);
    const id = `trace-${server.kind}-${operation}-${i}`;
    const { body, headers } = encodeRequest(request, documents, tokens, id);
    const res = await send(server.url, { method: "POST", body, headers });
    if (res.status !== 200 || res.body.includes('"errors"')) graphqlErrors += 1;
    measured.push({ id, ms: res.ms });
  }
  const traced = await upstreams.traced();
  await upstreams.reset();
  const waves = measured.map(({ id, ms }) => ({ ms, waves: dependentWaves(traced.filter((c) => c.requestId === id)) }));
  const cold = waves.filter((w) => w.waves >= hops);
  const latency = cold.length ? median(cold.map((w) => w.ms)) : null;
  return {
    workload: operation,
    server: server.kind,
    hops,
    coldProbes: cold.length,
    probes: measured.length,
    latencyMs: latency,
    excessMs: latency === null ? null : latency - hops * latencyMs,
    maxWaves: Math.max(0, ...waves.map((w) => w.waves)),
    graphqlErrors,
  };
}

export interface SanityResult {
  readonly requests: number;
  /** Requests whose `data` differs between our BFF and the reference. */
  readonly mismatches: Array<{
    operation: OperationName;
    variables: Record<string, unknown>;
    ours: unknown;
    reference: unknown;
  }>;
  /** Requests either server answered with errors or a non-200 status. */
  readonly failures: Array<{ server: ServerProcess["kind"]; operation: OperationName; status: number; body: string }>;
}

/** Sends the same requests (`perOperation` of each operation) to both servers and compares their data. */
export async function compareAnswers(
  bff: Pick<ServerProcess, "kind" | "url">,
  reference: Pick<ServerProcess, "kind" | "url">,
  tokens: Tokens,
  perOperation = 3,
): Promise<SanityResult> {
  const bench = new BenchData();
  const documents = loadDocuments();
  const result = {
    requests: 0,
    mismatches: [] as SanityResult["mismatches"],
    failures: [] as SanityResult["failures"],
  };
  for (const operation of Object.keys(DEPENDENT_HOPS) as OperationName[]) {
    const next = requestStream(operation, seedFor(operation, "sanity"), bench);
    for (let i = 0; i < perOperation; i++) {
      const request = next();
      const { body, headers } = encodeRequest(request, documents, tokens);
      const answers = await Promise.all(
        [bff, reference].map(async (server) => {
          const res = await send(server.url, { method: "POST", body, headers });
          const json = JSON.parse(res.body) as { data?: unknown; errors?: unknown };
          if (res.status !== 200 || json.errors)
            result.failures.push({ server: server.kind, operation, status: res.status, body: res.body.slice(0, 500) });
          return json.data;
        }),
      );
      result.requests += 1;
      if (!isDeepStrictEqual(answers[0], answers[1])) {
        result.mismatches.push({ operation, variables: request.variables, ours: answers[0], reference: answers[1] });
      }
    }
  }
  return result;
}
