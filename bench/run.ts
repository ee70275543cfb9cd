// `npm run bench`: the yardstick. Demo upstreams with 10 ms latency, the BFF in-process, and for
// each contract read operation: requests/s, p50/p99 latency and upstream calls per request.
// Bounded: BENCH_SECONDS per operation (default 5), BENCH_CONNECTIONS (default 20); loopback only.
// BENCH_ONLY=CatalogAdmin,ProductList runs a subset. Requests accept compressed answers as browsers and
// mobile clients do (BENCH_ACCEPT_ENCODING, default "gzip, br"; "identity" measures without compression).
import "reflect-metadata";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import pino from "pino";
import { signDevToken } from "../src/auth/sign-dev-token";
import { parseConfig } from "../src/config";
import { createServer } from "../src/server";
import { startUpstreams } from "../upstreams/start";

interface Case {
  readonly name: string;
  readonly file: string;
  readonly variables: Record<string, unknown>;
  readonly as?: { sub: string; role: "customer" | "admin" };
}

const CASES: Case[] = [
  { name: "Categories", file: "mobile/Categories.graphql", variables: {} },
  { name: "ProductList", file: "mobile/ProductList.graphql", variables: { first: 20 } },
  { name: "ProductDetail", file: "mobile/ProductDetail.graphql", variables: { id: "p-0042" } },
  { name: "MyOrders", file: "mobile/MyOrders.graphql", variables: { first: 10 }, as: { sub: "u-0003", role: "customer" } },
  { name: "CatalogAdmin", file: "web/CatalogAdmin.graphql", variables: { first: 50 }, as: { sub: "u-0050", role: "admin" } },
  { name: "CustomerDetail", file: "web/CustomerDetail.graphql", variables: { id: "u-0007" }, as: { sub: "u-0050", role: "admin" } },
  { name: "DashboardOverview", file: "web/DashboardOverview.graphql", variables: { first: 20 }, as: { sub: "u-0050", role: "admin" } },
];

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
  const acceptEncoding = process.env.BENCH_ACCEPT_ENCODING ?? "gzip, br";
  const unlimited = "100000000"; // the bench measures throughput, not the rate limiter
  const config = parseConfig({
    ...process.env, LOG_LEVEL: "silent",
    RATE_LIMIT_ANONYMOUS_BUCKET_SIZE: unlimited, RATE_LIMIT_CUSTOMER_BUCKET_SIZE: unlimited, RATE_LIMIT_ADMIN_BUCKET_SIZE: unlimited,
  });
  const upstreams = await startUpstreams({ apiKeys: config.apiKeys, latencyMs: 10 });
  const server = await createServer(config, { upstreamUrls: upstreams.urls, logger: pino({ level: "silent" }) });
  const url = await server.listen(0);
  console.log(`bench: ${seconds}s per operation, ${connections} connections, upstream latency 10 ms, store ${config.redisUrl ? "redis" : "memory"}, accept-encoding "${acceptEncoding}"\n`);
  console.log("operation            req/s    p50 ms   p99 ms   upstream calls/req   bytes/resp   errors");

  const only = process.env.BENCH_ONLY?.split(",");
  for (const c of CASES.filter((x) => !only || only.includes(x.name))) {
    const query = readFileSync(join(__dirname, "../../operations", c.file), "utf8");
    const headers: Record<string, string> = { "content-type": "application/json", "accept-encoding": acceptEncoding };
    if (c.as) headers.authorization = `Bearer ${await signDevToken(config.jwt, c.as)}`;
    const body = JSON.stringify({ query, variables: c.variables });
    await fetch(url, { method: "POST", headers, body }); // warm the shared cache, as production would be
    upstreams.reset();
    for (const s of Object.values(upstreams.services)) s.setFaults({ latencyMs: 10 });
    const result = await autocannon({ url, method: "POST", headers, body, connections, duration: seconds, workers: 1 });
    const calls = Object.values(upstreams.callCounts()).reduce((a, b) => a + b, 0);
    const perRequest = result.requests.total ? calls / result.requests.total : 0;
    const bytes = result.requests.total ? result.throughput.total / result.requests.total : 0; // on the wire, headers included
    console.log(
      `${c.name.padEnd(20)} ${result.requests.average.toFixed(0).padStart(6)}   ${String(result.latency.p50).padStart(6)}   ${String(result.latency.p99).padStart(6)}   ${perRequest.toFixed(2).padStart(18)}   ${bytes.toFixed(0).padStart(10)}   ${result.errors + result.non2xx}`,
    );
  }
  const memory = process.memoryUsage();
  console.log(`\nmemory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB (BFF and upstreams in one process)`);
  await server.close();
  await upstreams.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
