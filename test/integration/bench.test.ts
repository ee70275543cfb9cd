// The bench's building blocks, for real: the /proc readers against a child process, the upstreams'
// call counter and trace, the seeded workloads against our BFF and the reference (same answers, no
// errors), and the cold-latency probe's trace. No timing assertions: speed is the bench's business.
import { spawn, type ChildProcess } from "node:child_process";
import pino from "pino";
import { compareAnswers, dependentWaves, probeColdLatency } from "../../bench/measure";
import { startOtlpSink } from "../../bench/otlp-sink";
import { cpuMs, memory, resetPeakRss } from "../../bench/proc";
import { closeConnections, SECRETS, send, upstreamsControl } from "../../bench/processes";
import { startReference } from "../../bench/reference/server";
import { soakSummary } from "../../bench/report";
import {
  BENCH_SIZES,
  BenchData,
  encodeRequest,
  loadDocuments,
  OPERATIONS,
  requestStream,
  seedFor,
  type Tokens,
} from "../../bench/workloads";
import { signDevToken } from "../../src/auth/sign-dev-token";
import { parseConfig } from "../../src/config";
import { createServer, type BffServer } from "../../src/server";
import { SERVICE_NAMES } from "../../src/services";
import type { TracedCall } from "../../upstreams/kit";
import { startUpstreams, type Upstreams } from "../../upstreams/start";

describe("the bench's /proc readers", () => {
  let child: ChildProcess;
  afterEach(() => child?.kill("SIGKILL"));

  it("reads a child's CPU time and memory from outside, and resets its peak RSS", async () => {
    // Spins for a fixed amount of its own CPU time, allocates 64 MiB, says so, then idles.
    const script = `const s=process.cpuUsage();while((process.cpuUsage(s).user+process.cpuUsage(s).system)<300000){}
      globalThis.keep=Buffer.alloc(64*1024*1024,1);process.stdout.write("done\\n");setInterval(()=>{},1000);`;
    child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = child.pid as number;
    const before = cpuMs(pid);
    await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
    expect(cpuMs(pid) - before).toBeGreaterThanOrEqual(200); // 300 ms of CPU, read in 10 ms ticks

    const grown = memory(pid);
    expect(grown.rssBytes).toBeGreaterThan(64 * 2 ** 20);
    expect(grown.peakRssBytes).toBeGreaterThanOrEqual(grown.rssBytes);
    expect(resetPeakRss(pid)).toBe(true);
    const reset = memory(pid);
    expect(reset.peakRssBytes).toBeGreaterThanOrEqual(reset.rssBytes);
    expect(reset.peakRssBytes).toBeLessThanOrEqual(grown.peakRssBytes);
  });

  it("refuses a process that does not exist", () => {
    expect(() => cpuMs(2 ** 22 + 1)).toThrow();
  });
});

describe("the bench's arithmetic", () => {
  const call = (startMs: number, endMs: number): TracedCall => ({
    service: "s",
    requestId: "trace-1",
    path: "/",
    startMs,
    endMs,
  });

  it("counts dependent waves: overlapping calls are one wave, a call after an answer is the next", () => {
    expect(dependentWaves([])).toBe(0);
    expect(dependentWaves([call(0, 10), call(1, 11), call(2, 12)])).toBe(1);
    expect(dependentWaves([call(0, 10), call(11, 21), call(11.5, 21), call(22, 32)])).toBe(3);
    expect(dependentWaves([call(22, 32), call(0, 10), call(11, 21)])).toBe(3); // order of arrival, not of the list
  });

  it("fits the soak's RSS slope and flags growth", () => {
    const flat = Array.from({ length: 300 }, (_, t) => [t, 120 + (t % 2)] as [number, number]);
    expect(soakSummary(flat)).toMatchObject({ flat: true, under200MiB: true, maxRssMiB: 121 });
    const growing = Array.from({ length: 300 }, (_, t) => [t, 100 + t / 6] as [number, number]); // 10 MiB a minute
    const summary = soakSummary(growing);
    expect(summary.flat).toBe(false);
    expect(summary.tail.slopeMiBPerMinute).toBeCloseTo(10, 5);
    expect(summary.tail.fromSecond).toBe(179);
  });

  it("draws the same requests from the same seed, over every operation in the mixed blend", () => {
    const bench = new BenchData();
    const a = requestStream("Mixed", seedFor("Mixed", "warm"), bench);
    const b = requestStream("Mixed", seedFor("Mixed", "warm"), bench);
    const drawn = Array.from({ length: 2_000 }, () => a());
    expect(Array.from({ length: 2_000 }, () => b())).toEqual(drawn);
    expect(new Set(drawn.map((r) => r.operation))).toEqual(new Set(OPERATIONS));
    const products = new Set(
      Array.from({ length: 2_000 }, requestStream("ProductDetail", 1, bench)).map((r) => r.variables.id),
    );
    expect(products.size).toBeGreaterThan(1_000); // random over the whole 2,000-product catalog
  });
});

describe("the bench's servers, in-process over real HTTP", () => {
  let upstreams: Upstreams;
  let bff: BffServer;
  let bffUrl: string;
  let reference: { url: string; stop: () => Promise<void> };
  let tokens: Tokens;

  beforeAll(async () => {
    upstreams = await startUpstreams({
      apiKeys: SECRETS.apiKeys,
      latencyMs: 10,
      sizes: BENCH_SIZES,
      recordCalls: false,
    });
    const env: Record<string, string> = {
      JWT_SECRET: SECRETS.jwtSecret,
      JWT_ISSUER: SECRETS.issuer,
      JWT_AUDIENCE: SECRETS.audience,
      HOST: "127.0.0.1",
      PORT: "0",
      TRUSTED_DOCUMENTS: "allow",
      LOG_LEVEL: "silent",
      ...Object.fromEntries(
        ["ANONYMOUS", "CUSTOMER", "ADMIN"].flatMap((kind) => [
          [`RATE_LIMIT_${kind}_BUCKET_SIZE`, "100000000"],
          [`RATE_LIMIT_${kind}_RESTORE_RATE`, "10000000"],
        ]),
      ),
    };
    for (const s of SERVICE_NAMES) {
      env[`${s.toUpperCase()}_URL`] = upstreams.urls[s];
      env[`${s.toUpperCase()}_API_KEY`] = SECRETS.apiKeys[s];
    }
    const config = parseConfig(env);
    bff = await createServer(config, { upstreamUrls: upstreams.urls, logger: pino({ level: "silent" }) });
    bffUrl = `${await bff.listen(0, "127.0.0.1")}/graphql`;
    reference = await startReference(config);
    const bench = new BenchData();
    tokens = Object.fromEntries(
      await Promise.all(
        bench.data.users.map(async (u) => [u.id, await signDevToken(config.jwt, { sub: u.id, role: u.role })] as const),
      ),
    );
  });

  afterAll(async () => {
    closeConnections();
    await reference?.stop();
    await bff?.close();
    await upstreams?.close();
  });

  it("counts upstream calls and traces requests over /__calls, without keeping every call", async () => {
    const control = upstreamsControl(upstreams.urls);
    await control.reset();
    const { body, headers } = encodeRequest(
      { operation: "ProductDetail", caller: "anonymous", variables: { id: "p-1999" } },
      loadDocuments(),
      tokens,
      "trace-test-1",
    );
    const res = await send(bffUrl, { method: "POST", body, headers });
    expect(JSON.parse(res.body)).toMatchObject({ data: { product: { id: "p-1999" } } });
    const counts = await control.counts();
    expect(counts.catalog).toBeGreaterThanOrEqual(1);
    const traced = await control.traced();
    expect(traced.length).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(traced.every((c) => c.requestId === "trace-test-1" && c.endMs >= c.startMs)).toBe(true);
    expect(upstreams.services.catalog.calls).toEqual([]);
    await control.reset();
    expect(Object.values(await control.counts())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("measures tracing with a real exporter: a traced BFF's spans reach the bench's OTLP sink, counted", async () => {
    const sink = await startOtlpSink("127.0.0.1");
    const env: Record<string, string> = {
      JWT_SECRET: SECRETS.jwtSecret,
      JWT_ISSUER: SECRETS.issuer,
      JWT_AUDIENCE: SECRETS.audience,
      TRUSTED_DOCUMENTS: "allow",
      LOG_LEVEL: "silent",
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER: "always_on",
    };
    for (const s of SERVICE_NAMES) env[`${s.toUpperCase()}_API_KEY`] = SECRETS.apiKeys[s];
    const traced = await createServer(parseConfig(env), {
      upstreamUrls: upstreams.urls,
      logger: pino({ level: "silent" }),
    });
    try {
      const url = `${await traced.listen(0, "127.0.0.1")}/graphql`;
      const control = upstreamsControl(upstreams.urls);
      await control.reset();
      const { body, headers } = encodeRequest(
        { operation: "ProductDetail", caller: "anonymous", variables: { id: "p-1777" } },
        loadDocuments(),
        tokens,
        "traced-1",
      );
      expect(JSON.parse((await send(url, { method: "POST", body, headers })).body)).toMatchObject({
        data: { product: { id: "p-1777" } },
      });
      const calls = Object.values(await control.counts()).reduce((a, b) => a + b, 0);
      expect(calls).toBeGreaterThanOrEqual(3);
    } finally {
      await traced.close(); // shuts the SDK down: every pending span is exported
    }
    // The request, its parse/validate/execute phases and one span per upstream call.
    expect(sink.spans()).toBeGreaterThanOrEqual(4 + 3);
    sink.reset();
    expect(sink.spans()).toBe(0);
    await sink.close();
  });

  it("sends every operation's generated variables to both servers: no errors, the same data", async () => {
    const result = await compareAnswers(
      { kind: "bff", url: bffUrl },
      { kind: "reference", url: reference.url },
      tokens,
      1,
    );
    expect(result.failures).toEqual([]);
    expect(result.mismatches).toEqual([]);
    expect(result.requests).toBe(OPERATIONS.length);
  });

  it("probes a cold ProductDetail over one connection and sees its three dependent hops in the trace", async () => {
    const probe = await probeColdLatency(
      { kind: "bff", url: bffUrl },
      upstreamsControl(upstreams.urls),
      "ProductDetail",
      tokens,
      10,
    );
    expect(probe).toMatchObject({ workload: "ProductDetail", hops: 3, probes: 8, graphqlErrors: 0 });
    expect(probe.coldProbes).toBeGreaterThanOrEqual(1);
    expect(probe.maxWaves).toBeGreaterThanOrEqual(3);
    expect(probe.latencyMs).not.toBeNull();
  });
});
