// `npm run bench`: the yardstick of issue 8. For each workload, on a fresh process of our BFF and then
// of the reference BFF (bench/reference), each run as in production and loaded by autocannon in its
// own process: a one-connection cold latency probe, a cold phase, a warm phase. Prints and writes
// bench/results/latest.{json,md}. Flags:
//   --only A,B          workloads (Categories ProductList ProductDetail MyOrders CatalogAdmin CustomerDetail DashboardOverview Mixed)
//   --seconds N         per phase (default 7)        --connections N   (default 16)
//   --no-reference      our BFF only (no ratios)     --profile         CPU profiles of our BFF (node --cpu-prof)
//   --soak [minutes]    instead: the mixed workload against our BFF for 5 minutes, RSS sampled every second
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { signDevToken } from "../src/auth/sign-dev-token";
import {
  compareAnswers,
  measurePhase,
  probeColdLatency,
  type PhaseResult,
  type ProbeResult,
  type SanityResult,
} from "./measure";
import { mib, memory } from "./proc";
import { startOtlpSink, type OtlpSink } from "./otlp-sink";
import {
  closeConnections,
  HOST,
  SECRETS,
  startServer,
  startUpstreams,
  type ServerKind,
  type UpstreamsProcess,
} from "./processes";
import { repoRoot } from "./paths";
import {
  compare,
  markdown,
  soakMarkdown,
  soakSummary,
  type BenchReport,
  type SoakReport,
  type TracingCost,
} from "./report";
import {
  BENCH_SIZES,
  BenchData,
  OPERATIONS,
  WORKLOADS,
  type OperationName,
  type Tokens,
  type WorkloadName,
} from "./workloads";

const UPSTREAM_LATENCY_MS = 10;
/** Workloads also run against our BFF with tracing on (every span exported over OTLP/HTTP): issue 12's cost of tracing. */
const TRACED_WORKLOADS: readonly WorkloadName[] = ["ProductDetail", "Mixed"];

interface Options {
  readonly only: WorkloadName[];
  readonly seconds: number;
  readonly connections: number;
  readonly reference: boolean;
  readonly profile: boolean;
  readonly soakMinutes: number | null;
}

function parseOptions(argv: string[]): Options {
  // `--soak` takes an optional number, which parseArgs cannot express: take it out first.
  const soakAt = argv.indexOf("--soak");
  let soakMinutes: number | null = null;
  if (soakAt >= 0) {
    const value = argv[soakAt + 1];
    const explicit = value !== undefined && /^\d+(\.\d+)?$/.test(value);
    soakMinutes = explicit ? Number(value) : 5;
    argv = argv.filter((_, i) => i !== soakAt && !(explicit && i === soakAt + 1));
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      seconds: { type: "string", default: "7" },
      connections: { type: "string", default: "16" },
      "no-reference": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
    },
  });
  const problems: string[] = [];
  const positive = (name: string, raw: string, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max)
      problems.push(`--${name} must be an integer in 1..${max}, got "${raw}"`);
    return n;
  };
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : [...WORKLOADS];
  const unknown = only.filter((w) => !(WORKLOADS as readonly string[]).includes(w));
  if (unknown.length) problems.push(`--only: unknown workload ${unknown.join(", ")} (known: ${WORKLOADS.join(", ")})`);
  if (soakMinutes !== null && !(soakMinutes > 0 && soakMinutes <= 120))
    problems.push("--soak takes minutes in (0, 120]");
  const options: Options = {
    only: only as WorkloadName[],
    seconds: positive("seconds", values.seconds, 600),
    connections: positive("connections", values.connections, 1_000),
    reference: !values["no-reference"],
    profile: values.profile,
    soakMinutes,
  };
  if (problems.length) throw new Error(problems.join("\n"));
  return options;
}

/** One token per user, signed in advance (6 h: longer than any run). */
async function signTokens(bench: BenchData): Promise<Tokens> {
  const jwt = { secret: SECRETS.jwtSecret, jwksUrl: null, issuer: SECRETS.issuer, audience: SECRETS.audience };
  const entries = await Promise.all(
    bench.data.users.map(async (u) => [u.id, await signDevToken(jwt, { sub: u.id, role: u.role }, 6 * 3_600)] as const),
  );
  return Object.fromEntries(entries);
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot(), encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

const started = Date.now();
const meta = (options: Options): BenchReport["meta"] => ({
  date: new Date(started).toISOString(),
  commit: gitCommit(),
  node: process.versions.node,
  cpus: availableParallelism(),
  loadAverageAtStart: loadavg(),
  seconds: options.seconds,
  connections: options.connections,
  upstreamLatencyMs: UPSTREAM_LATENCY_MS,
  catalog: BENCH_SIZES,
  durationSeconds: (Date.now() - started) / 1000,
});

const line = (p: PhaseResult): string =>
  `  ${p.server.padEnd(9)} ${p.phase.padEnd(4)} ${p.rps.toFixed(0).padStart(6)} req/s  p50 ${String(p.p50Ms).padStart(4)} ms  p99 ${String(p.p99Ms).padStart(4)} ms  ` +
  `${p.cpuMsPerRequest.toFixed(2).padStart(6)} CPU ms/req  ${p.upstreamCallsPerRequest.toFixed(2).padStart(6)} calls/req  ${p.maxRssMiB.toFixed(0).padStart(4)} MiB  ` +
  `(cores busy: upstreams ${p.upstreamsCores.toFixed(2)}, load generator ${p.loadGeneratorCores.toFixed(2)})` +
  (p.errors + p.non2xx + p.graphqlErrors
    ? `\n    errors: ${p.errors} socket, ${p.non2xx} non-2xx, ${p.graphqlErrors} GraphQL; e.g. ${p.errorSamples[0] ?? "(no body)"}`
    : "");

async function runBench(
  options: Options,
  upstreams: UpstreamsProcess,
  tokens: Tokens,
  profileRoot: string | null,
): Promise<BenchReport> {
  const servers: ServerKind[] = options.reference ? ["bff", "reference"] : ["bff"];
  let sanity: SanityResult | null = null;
  if (options.reference) {
    const [bff, reference] = await Promise.all([
      startServer("bff", { upstreams: upstreams.urls }),
      startServer("reference", { upstreams: upstreams.urls }),
    ]);
    try {
      sanity = await compareAnswers(bff, reference, tokens);
    } finally {
      await Promise.all([bff.stop(), reference.stop()]);
    }
    console.log(
      `same answers: ${sanity.requests} requests, ${sanity.mismatches.length} with different data, ${sanity.failures.length} with errors`,
    );
    for (const m of sanity.mismatches.slice(0, 3))
      console.log(`  differs: ${m.operation} ${JSON.stringify(m.variables)}`);
    for (const f of sanity.failures.slice(0, 3))
      console.log(`  failed: ${f.server} ${f.operation} ${f.status} ${f.body}`);
  }
  const phases: PhaseResult[] = [];
  const probes: ProbeResult[] = [];
  const tracing: TracingCost[] = [];
  const settings = { connections: options.connections, seconds: options.seconds, tokens };
  const sink: OtlpSink = await startOtlpSink(HOST);
  try {
    for (const workload of options.only) {
      console.log(`\n${workload}`);
      const kinds: ServerKind[] = TRACED_WORKLOADS.includes(workload)
        ? ["bff", "bff-traced", ...servers.slice(1)]
        : servers;
      for (const kind of kinds) {
        const profileDir = kind === "bff" && profileRoot ? join(profileRoot, workload) : undefined;
        const server = await startServer(kind, { upstreams: upstreams.urls, profileDir, otlpEndpoint: sink.url });
        try {
          if (kind !== "bff-traced" && (OPERATIONS as readonly string[]).includes(workload)) {
            const probe = await probeColdLatency(
              server,
              upstreams,
              workload as OperationName,
              tokens,
              UPSTREAM_LATENCY_MS,
            );
            probes.push(probe);
            console.log(
              `  ${kind.padEnd(9)} cold, 1 connection: ${probe.latencyMs?.toFixed(1) ?? "–"} ms (${probe.hops} hops, ` +
                `excess ${probe.excessMs?.toFixed(1) ?? "–"} ms, waves max ${probe.maxWaves}, ${probe.coldProbes}/${probe.probes} fully cold)`,
            );
          }
          for (const phase of ["cold", "warm"] as const) {
            sink.reset();
            const result = await measurePhase(server, upstreams, workload, phase, settings);
            phases.push(result);
            console.log(line(result));
            if (kind === "bff-traced") {
              const spansPerRequest = result.requests > 0 ? sink.spans() / result.requests : 0;
              tracing.push({ workload, phase, spansPerRequest });
              console.log(`    tracing on: ${spansPerRequest.toFixed(1)} spans exported per request`);
            }
          }
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    await sink.close();
  }
  const verdicts = compare(phases, probes);
  return { meta: meta(options), sanity, phases, probes, tracing, ...verdicts };
}

async function runSoak(options: Options, upstreams: UpstreamsProcess, tokens: Tokens): Promise<SoakReport> {
  const minutes = options.soakMinutes ?? 5;
  const server = await startServer("bff", { upstreams: upstreams.urls });
  const samples: Array<[number, number]> = [];
  console.log(
    `soak: the mixed workload against our BFF (pid ${server.pid}), ${options.connections} connections, ${minutes} min`,
  );
  try {
    const load = await measurePhase(
      server,
      upstreams,
      "Mixed",
      "soak",
      { ...settings(options, tokens), seconds: Math.round(minutes * 60) },
      (elapsedMs) => {
        let rss: number;
        try {
          rss = mib(memory(server.pid).rssBytes);
        } catch {
          return; // it exited: measurePhase reports how, with its stderr
        }
        samples.push([Math.round(elapsedMs / 1000), rss]);
        if (samples.length % 30 === 0) console.log(`  ${samples.length} s: RSS ${rss.toFixed(0)} MiB`);
      },
    );
    return { meta: meta(options), load, samples, ...soakSummary(samples) };
  } finally {
    await server.stop();
  }
}

const settings = (options: Options, tokens: Tokens) => ({
  connections: options.connections,
  seconds: options.seconds,
  tokens,
});

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const bench = new BenchData();
  const tokens = await signTokens(bench);
  const results = join(repoRoot(), "bench/results");
  mkdirSync(results, { recursive: true });
  const upstreams = await startUpstreams(UPSTREAM_LATENCY_MS, BENCH_SIZES);
  try {
    if (options.soakMinutes !== null) {
      const soak = await runSoak(options, upstreams, tokens);
      writeFileSync(join(results, "soak.json"), `${JSON.stringify(soak, null, 2)}\n`);
      writeFileSync(join(results, "soak.md"), soakMarkdown(soak));
      console.log(`\n${soakMarkdown(soak)}\nwritten: bench/results/soak.json, bench/results/soak.md`);
      return;
    }
    const profileRoot = options.profile ? join(tmpdir(), `bff-profile-${started}`) : null;
    console.log(
      `bench: ${options.only.join(", ")}; ${options.seconds} s per phase, ${options.connections} connections, ` +
        `upstream latency ${UPSTREAM_LATENCY_MS} ms, ${BENCH_SIZES.products} products; servers: ${options.reference ? "ours, reference" : "ours"}`,
    );
    const report = await runBench(options, upstreams, tokens, profileRoot);
    writeFileSync(join(results, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(results, "latest.md"), markdown(report));
    console.log(`\n${markdown(report)}\nwritten: bench/results/latest.json, bench/results/latest.md`);
    if (profileRoot)
      console.log(
        `CPU profiles of our BFF (open in Chrome DevTools > Performance, or speedscope): ${profileRoot}/<workload>/`,
      );
  } finally {
    await upstreams.stop();
    closeConnections();
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130)); // the exit handlers stop the children

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
