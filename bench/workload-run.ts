// The comparison run: each workload on a fresh process of our BFF (also traced, for some), then of the
// reference (and the lean server, with --lean), `--rounds` times; first the same-answers check, then
// per server the cold probe, the cold and the warm phase.
import { join } from "node:path";
import { SECRETS } from "./bench-secrets";
import { probeColdLatency, type ProbeResult } from "./cold-probe";
import { measurePhase, type PhaseResult } from "./measure";
import { startOtlpSink, type OtlpSink } from "./otlp-sink";
import { HOST } from "./processes";
import type { BenchReport, TracingCost } from "./report";
import { upstreamRoundTripMs } from "./round-trip";
import { meta, UPSTREAM_LATENCY_MS } from "./run-meta";
import type { Options } from "./run-options";
import { compareAnswers, type SanityResult } from "./same-answers";
import { mergeProbes, mergeRounds } from "./rounds";
import { startServer, type ServerKind, type ServerProcess } from "./server-process";
import type { UpstreamsProcess } from "./upstreams-process";
import { compare } from "./verdicts";
import { OPERATIONS, type OperationName, type Tokens, type WorkloadName } from "./workloads";

/** Workloads also run against our BFF with tracing on (every span exported over OTLP/HTTP): issue 12's cost of tracing. */
const TRACED_WORKLOADS: readonly WorkloadName[] = ["ProductDetail", "Mixed"];

const line = (p: PhaseResult): string =>
  `  ${p.server.padEnd(9)} ${p.phase.padEnd(4)} ${p.rps.toFixed(0).padStart(6)} req/s  p50 ${String(p.p50Ms).padStart(4)} ms  p99 ${String(p.p99Ms).padStart(4)} ms  ` +
  `${p.cpuMsPerRequest.toFixed(2).padStart(6)} CPU ms/req  ${p.upstreamCallsPerRequest.toFixed(2).padStart(6)} calls/req  ${p.maxRssMiB.toFixed(0).padStart(4)} MiB  ` +
  `(cores busy: upstreams ${p.upstreamsCores.toFixed(2)}, load generator ${p.loadGeneratorCores.toFixed(2)})` +
  (p.errors + p.non2xx + p.graphqlErrors
    ? `\n    errors: ${p.errors} socket, ${p.non2xx} non-2xx, ${p.graphqlErrors} GraphQL; e.g. ${p.errorSamples[0] ?? "(no body)"}`
    : "");

export async function runBench(
  options: Options,
  upstreams: UpstreamsProcess,
  tokens: Tokens,
  profileRoot: string | null,
): Promise<BenchReport> {
  const others: ServerKind[] = [
    ...(options.reference ? (["reference"] as const) : []),
    ...(options.lean ? (["lean"] as const) : []),
  ];
  const servers: ServerKind[] = ["bff", ...others];
  let sanity: SanityResult | null = null;
  if (others.length) {
    const started = await Promise.all(servers.map((kind) => startServer(kind, { upstreams: upstreams.urls })));
    try {
      sanity = await compareAnswers(started[0] as ServerProcess, started.slice(1), tokens);
    } finally {
      await Promise.all(started.map((server) => server.stop()));
    }
    console.log(
      `same answers: ${sanity.requests} requests, ${sanity.mismatches.length} with different data, ${sanity.failures.length} with errors`,
    );
    for (const m of sanity.mismatches.slice(0, 3))
      console.log(`  differs: ${m.server} ${m.operation} ${JSON.stringify(m.variables)}`);
    for (const f of sanity.failures.slice(0, 3))
      console.log(`  failed: ${f.server} ${f.operation} ${f.status} ${f.body}`);
  }
  const phases: PhaseResult[] = [];
  const probes: ProbeResult[] = [];
  const tracing: TracingCost[] = [];
  const settings = { connections: options.connections, seconds: options.seconds, tokens };
  const roundTripMs = await upstreamRoundTripMs(upstreams.urls.catalog, SECRETS.apiKeys.catalog);
  console.log(
    `upstream round trip from the bench's client: ${roundTripMs.toFixed(1)} ms (latency ${UPSTREAM_LATENCY_MS} ms)`,
  );
  const sink: OtlpSink = await startOtlpSink(HOST);
  const measureServer = async (
    server: ServerProcess,
    kind: ServerKind,
    workload: WorkloadName,
    round: number,
  ): Promise<void> => {
    if (kind !== "bff-traced" && (OPERATIONS as readonly string[]).includes(workload)) {
      const probe = await probeColdLatency(server, upstreams, workload as OperationName, tokens, {
        latencyMs: UPSTREAM_LATENCY_MS,
        roundTripMs,
      });
      probes.push(probe);
      console.log(
        `  ${kind.padEnd(9)} cold, 1 connection: ${probe.latencyMs?.toFixed(1) ?? "–"} ms (${probe.hops} hops, ` +
          `excess ${probe.excessMs?.toFixed(1) ?? "–"} ms over round trips, ${probe.excessOverLatencyMs?.toFixed(1) ?? "–"} ms over latency, waves max ${probe.maxWaves}, ${probe.coldProbes}/${probe.probes} fully cold)`,
      );
    }
    for (const phase of ["cold", "warm"] as const) {
      sink.reset();
      const result = { ...(await measurePhase(server, upstreams, workload, phase, settings)), round };
      phases.push(result);
      console.log(line(result));
      if (kind === "bff-traced") {
        const spansPerRequest = result.requests > 0 ? sink.spans() / result.requests : 0;
        tracing.push({ workload, phase, spansPerRequest });
        console.log(`    tracing on: ${spansPerRequest.toFixed(1)} spans exported per request`);
      }
    }
  };
  try {
    for (const workload of options.only) {
      console.log(`\n${workload}`);
      for (let round = 1; round <= options.rounds; round++) {
        // From one round to the next, who goes first alternates (ours, ref; ref, ours; ...), so that the
        // machine drifting during a workload weighs on both alike. Tracing's cost is measured in round 1.
        const traced = round === 1 && TRACED_WORKLOADS.includes(workload);
        const kinds = (round % 2 === 1 ? servers : [...servers].reverse()).flatMap((kind): ServerKind[] =>
          kind === "bff" && traced ? ["bff", "bff-traced"] : [kind],
        );
        if (options.rounds > 1) console.log(`  round ${round} of ${options.rounds}`);
        for (const kind of kinds) {
          const profileDir = kind === "bff" && profileRoot && round === 1 ? join(profileRoot, workload) : undefined;
          const server = await startServer(kind, { upstreams: upstreams.urls, profileDir, otlpEndpoint: sink.url });
          try {
            await measureServer(server, kind, workload, round);
          } finally {
            await server.stop();
          }
        }
      }
    }
  } finally {
    await sink.close();
  }
  const merged = mergeRounds(phases);
  const mergedProbes = mergeProbes(probes);
  const verdicts = compare(merged, mergedProbes, phases);
  return {
    meta: meta(options, roundTripMs),
    sanity,
    phases: merged,
    ...(options.rounds > 1 ? { roundPhases: phases } : {}),
    probes: mergedProbes,
    tracing,
    ...verdicts,
  };
}
