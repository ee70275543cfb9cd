// The one-connection cold latency probe: fresh variables one at a time over one keep-alive connection,
// each request traced through the upstreams, and the dependent waves of its upstream calls.
import type { TracedCall } from "../upstreams/service-control";
import { BenchData } from "./bench-data";
import { median } from "./median";
import { send } from "./probe-connection";
import { encodeRequest, loadDocuments } from "./request-encoding";
import { requestStream } from "./request-stream";
import type { ServerProcess } from "./server-process";
import type { UpstreamsControl } from "./upstreams-process";
import { DEPENDENT_HOPS, seedFor, type OperationName, type Tokens } from "./workloads";

export interface ProbeResult {
  readonly workload: OperationName;
  readonly server: ServerProcess["kind"];
  readonly hops: number;
  /** Probes whose upstream trace shows every hop (a fully cold request). */
  readonly coldProbes: number;
  readonly probes: number;
  /** Median latency of the fully cold probes, ms (null: none was fully cold). */
  readonly latencyMs: number | null;
  /** latencyMs - hops x the measured upstream round trip (upstreamRoundTripMs): what the server itself added. */
  readonly excessMs: number | null;
  /** latencyMs - hops x the configured upstream latency (10 ms), as earlier runs reported it. */
  readonly excessOverLatencyMs: number | null;
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
  hop: { readonly latencyMs: number; readonly roundTripMs: number },
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
    excessMs: latency === null ? null : latency - hops * hop.roundTripMs,
    excessOverLatencyMs: latency === null ? null : latency - hops * hop.latencyMs,
    maxWaves: Math.max(0, ...waves.map((w) => w.waves)),
    graphqlErrors,
  };
}
