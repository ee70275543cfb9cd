// `npm run bench`: the yardstick of issue 8. For each workload, on a fresh process of our BFF and then
// of the reference BFF (bench/reference), each run as in production and loaded by autocannon in its
// own process: a one-connection cold latency probe, a cold phase, a warm phase. Prints and writes
// bench/results/latest.{json,md}. Flags:
//   --only A,B          workloads (Categories ProductList ProductDetail MyOrders CatalogAdmin CustomerDetail DashboardOverview Mixed)
//   --seconds N         per phase (default 7)        --connections N   (default 16)
//   --rounds N          each workload N times, ours and the reference in turn; medians judged (default 1)
//   --no-reference      our BFF only (no ratios)     --profile         CPU profiles of our BFF (node --cpu-prof)
//   --lean              also the lean calibration server (bench/lean): ours ÷ lean, and lean ÷ the reference
//   --soak [minutes]    instead: the mixed workload against our BFF for 5 minutes, RSS sampled every second
import "reflect-metadata";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signDevToken } from "../src/auth/sign-dev-token";
import { BenchData } from "./bench-data";
import { SECRETS } from "./bench-secrets";
import { repoRoot } from "./paths";
import { closeConnections } from "./probe-connection";
import { markdown } from "./report";
import { started, UPSTREAM_LATENCY_MS } from "./run-meta";
import { parseOptions } from "./run-options";
import { soakMarkdown } from "./soak-report";
import { runSoak } from "./soak-run";
import { startUpstreams } from "./upstreams-process";
import { runBench } from "./workload-run";
import { BENCH_SIZES, type Tokens } from "./workloads";

/** One token per user, signed in advance (6 h: longer than any run). */
async function signTokens(bench: BenchData): Promise<Tokens> {
  const jwt = { secret: SECRETS.jwtSecret, jwksUrl: null, issuer: SECRETS.issuer, audience: SECRETS.audience };
  const entries = await Promise.all(
    bench.data.users.map(async (u) => [u.id, await signDevToken(jwt, { sub: u.id, role: u.role }, 6 * 3_600)] as const),
  );
  return Object.fromEntries(entries);
}

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
        `${options.rounds} round${options.rounds > 1 ? "s" : ""}, ` +
        `upstream latency ${UPSTREAM_LATENCY_MS} ms, ${BENCH_SIZES.products} products; servers: ${["ours", ...(options.reference ? ["reference"] : []), ...(options.lean ? ["lean"] : [])].join(", ")}`,
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
