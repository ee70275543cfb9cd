// The bench's building blocks, for real: the upstreams' call counter and trace, the seeded workloads
// against our BFF and the reference (same answers, no errors), and the cold-latency probe's trace. No
// timing assertions: speed is the bench's business.
import pino from "pino";
import { BenchData } from "../../bench/bench-data";
import { SECRETS } from "../../bench/bench-secrets";
import { probeColdLatency } from "../../bench/cold-probe";
import { startOtlpSink } from "../../bench/otlp-sink";
import { closeConnections, send } from "../../bench/probe-connection";
import { upstreamRoundTripMs } from "../../bench/round-trip";
import { startLean } from "../../bench/lean/server";
import { startReference } from "../../bench/reference/server";
import { encodeRequest, loadDocuments } from "../../bench/request-encoding";
import { compareAnswers } from "../../bench/same-answers";
import { upstreamsControl } from "../../bench/upstreams-process";
import { BENCH_SIZES, OPERATIONS, type BenchRequest, type Tokens } from "../../bench/workloads";
import { signDevToken } from "../../src/auth/sign-dev-token";
import { parseConfig } from "../../src/config";
import { createServer, type BffServer } from "../../src/server";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";

describe("the bench's servers, in-process over real HTTP", () => {
  let upstreams: Upstreams;
  let bff: BffServer;
  let bffUrl: string;
  let reference: { url: string; stop: () => Promise<void> };
  let lean: { url: string; stop: () => Promise<void> };
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
    lean = await startLean(config);
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
    await lean?.stop();
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

  it("sends every operation's generated variables to every server: no errors, the same data", async () => {
    const result = await compareAnswers(
      { kind: "bff", url: bffUrl },
      [
        { kind: "reference", url: reference.url },
        { kind: "lean", url: lean.url },
      ],
      tokens,
      2,
    );
    expect(result.failures).toEqual([]);
    expect(result.mismatches).toEqual([]);
    expect(result.requests).toBe(2 * OPERATIONS.length);
  });

  it("has the lean server batch ids within a request, keep public answers across requests, and refuse bad input", async () => {
    const control = upstreamsControl(upstreams.urls);
    const documents = loadDocuments();
    const ask = async (request: BenchRequest) => {
      const { body, headers } = encodeRequest(request, documents, tokens);
      const res = await send(lean.url, { method: "POST", body, headers });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).not.toHaveProperty("errors");
    };
    const productList: BenchRequest = {
      operation: "ProductList",
      caller: "anonymous",
      variables: { first: 20, categoryId: "c-03" },
    };
    const customer = new BenchData().customers[0] as string;
    const myOrders: BenchRequest = {
      operation: "MyOrders",
      caller: "customer",
      userId: customer,
      variables: { first: 5 },
    };
    await control.reset();
    await ask(productList);
    // One page, then stock and ratings for its 20 products in one call each.
    expect(await control.counts()).toMatchObject({ catalog: 1, inventory: 1, reviews: 1, accounts: 0, orders: 0 });
    await control.reset();
    await ask(productList);
    expect(Object.values(await control.counts())).toEqual([0, 0, 0, 0, 0, 0]); // all public, within max-age
    await ask(myOrders);
    await control.reset();
    await ask(myOrders);
    expect(await control.counts()).toMatchObject({ orders: 1 }); // no-store: asked again

    const post = (body: string, authorization?: string) =>
      send(lean.url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      });
    const refused = async (res: { status: number; body: string }, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ errors: [{ extensions: { code } }] });
    };
    await refused(await post("{"), 400, "BAD_REQUEST");
    await refused(await post(JSON.stringify({ query: "{ nope }" })), 400, "GRAPHQL_VALIDATION_FAILED");
    await refused(await post(JSON.stringify({ query: "{ me { id }" })), 400, "GRAPHQL_PARSE_FAILED");
    await refused(await post(JSON.stringify({ query: "{ me { id } }" }), "Bearer not.a.jwt"), 401, "UNAUTHENTICATED");
  });

  it("probes a cold ProductDetail over one connection and sees its two dependent hops in the trace", async () => {
    // Every call waits the upstreams' latency, so no round trip can be shorter.
    const roundTripMs = await upstreamRoundTripMs(upstreams.urls.catalog, SECRETS.apiKeys.catalog);
    expect(roundTripMs).toBeGreaterThanOrEqual(10);
    const probe = await probeColdLatency(
      { kind: "bff", url: bffUrl },
      upstreamsControl(upstreams.urls),
      "ProductDetail",
      tokens,
      { latencyMs: 10, roundTripMs },
    );
    expect(probe).toMatchObject({ workload: "ProductDetail", hops: 2, probes: 8, graphqlErrors: 0 });
    expect(probe.coldProbes).toBeGreaterThanOrEqual(1);
    expect(probe.maxWaves).toBe(2); // product | stock | reviews | rating, then category | authors: nothing waits for nothing
    expect(probe.latencyMs).not.toBeNull();
    expect(probe.excessMs).toBeCloseTo((probe.latencyMs as number) - 2 * roundTripMs, 6);
    expect(probe.excessOverLatencyMs).toBeCloseTo((probe.latencyMs as number) - 20, 6);
  });
});
