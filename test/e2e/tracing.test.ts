import { ProductDetailDocument } from "../../operations/generated/graphql";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { parseConfig } from "../../src/config";
import { createTracing, Attr } from "../../src/telemetry/otel";
import { startStack, type Stack } from "../support/stack";

const CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";

describe("tracing with an in-memory exporter", () => {
  const exporter = new InMemorySpanExporter();
  let stack: Stack;
  beforeAll(async () => {
    const config = parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" }).tracing;
    if (!config) throw new Error("tracing config expected");
    stack = await startStack({ overrides: { tracing: createTracing(config, { exporter }) } });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    exporter.reset();
    stack.upstreams.reset();
  });

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const byName = (name: string) => spans().filter((s) => s.name === name);

  test("a request continues the client's trace: request, parse, validate, execute and one span per upstream call", async () => {
    const res = await stack.post(
      ProductDetailDocument,
      { id: "p-0001" },
      { headers: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, "apollographql-client-name": "ios-app" } },
    );
    expect(res.body.errors).toBeUndefined();
    await stack.server.tracing?.flush();
    const request = spans().find((s) => s.attributes[Attr.operationName] === "ProductDetail");
    expect(request).toBeDefined();
    expect(request?.name).toBe("query ProductDetail");
    expect(request?.attributes).toMatchObject({
      [Attr.operationType]: "query",
      [Attr.clientName]: "ios-app",
      "http.response.status_code": 200,
    });
    expect(request?.spanContext().traceId).toBe(CLIENT_TRACE);
    expect(request?.parentSpanContext?.spanId).toBe(CLIENT_SPAN);
    const requestId = request?.spanContext().spanId;
    for (const phase of ["graphql.parse", "graphql.validate", "graphql.execute"]) {
      expect(byName(phase).map((s) => s.parentSpanContext?.spanId)).toEqual([requestId]);
    }
    const execute = byName("graphql.execute")[0];

    // Every call the upstreams saw carried the traceparent of an exported client span, child of execute.
    const seen = Object.values(stack.upstreams.services).flatMap((s) => s.calls);
    expect(seen.length).toBeGreaterThan(0);
    const calls = spans().filter((s) => s.attributes[Attr.service] !== undefined);
    expect(calls).toHaveLength(seen.length);
    for (const call of seen) {
      const [, traceId, spanId] = (call.headers.traceparent ?? "").split("-");
      expect(traceId).toBe(CLIENT_TRACE);
      const span = calls.find((s) => s.spanContext().spanId === spanId);
      expect(span).toBeDefined();
      expect(span?.parentSpanContext?.spanId).toBe(execute?.spanContext().spanId);
      expect(span?.attributes).toMatchObject({
        "http.request.method": "GET",
        "http.route": call.path.replace(/\/(?![a-z]+(?:\/|$))[^/]+/g, "/{id}"),
        "http.response.status_code": 200,
        [Attr.cacheResult]: "miss",
      });
      expect(span?.attributes[Attr.batchSize]).toBeGreaterThanOrEqual(1);
    }
  });

  test("a warm request makes no upstream span; an invalid incoming traceparent starts a new trace", async () => {
    await stack.post(ProductDetailDocument, { id: "p-0002" });
    exporter.reset();
    stack.upstreams.reset();
    await stack.post(ProductDetailDocument, { id: "p-0002" }, { headers: { traceparent: "00-zz-nope-01" } });
    await stack.server.tracing?.flush();
    expect(spans().filter((s) => s.attributes[Attr.service] !== undefined)).toEqual([]);
    const request = spans().find((s) => s.attributes[Attr.operationName] === "ProductDetail");
    expect(request?.parentSpanContext).toBeUndefined();
    expect(request?.spanContext().traceId).not.toBe(CLIENT_TRACE);
  });
});

describe("tracing to a real OTLP/HTTP endpoint", () => {
  let collector: Server;
  const received: Array<{
    path: string;
    body: {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; name: string }> }>;
      }>;
    };
  }> = [];
  let stack: Stack;
  beforeAll(async () => {
    collector = createHttpServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on("end", () => {
        received.push({ path: req.url ?? "", body: JSON.parse(text) });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    stack = await startStack({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: "bff-under-test",
        OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=shop",
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await new Promise<void>((resolve) => collector.close(() => resolve()));
  });

  test("spans arrive as OTLP JSON at /v1/traces, and the upstream's traceparent is one of them", async () => {
    const res = await stack.post(
      ProductDetailDocument,
      { id: "p-0003" },
      { headers: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` } },
    );
    expect(res.body.errors).toBeUndefined();
    await stack.server.tracing?.flush();
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.path === "/v1/traces")).toBe(true);
    const resource = received[0]?.body.resourceSpans[0]?.resource.attributes.find((a) => a.key === "service.name");
    expect(resource?.value.stringValue).toBe("bff-under-test");
    const exported = received.flatMap((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)),
    );
    expect(exported.find((s) => s.name === "query ProductDetail")?.traceId.toLowerCase()).toBe(CLIENT_TRACE);
    const seen = Object.values(stack.upstreams.services).flatMap((s) => s.calls);
    expect(seen.length).toBeGreaterThan(0);
    for (const call of seen) {
      const spanId = (call.headers.traceparent ?? "").split("-")[2];
      expect(exported.map((s) => s.spanId.toLowerCase())).toContain(spanId);
    }
  });
});

describe("tracing off", () => {
  test("no OTEL_* variable: no tracer, no OTel plugin, upstreams still get a W3C traceparent", async () => {
    const stack = await startStack();
    try {
      expect(stack.config.tracing).toBeNull();
      expect(stack.server.tracing).toBeNull();
      const res = await stack.post(ProductDetailDocument, { id: "p-0001" });
      expect(res.body.errors).toBeUndefined();
      const calls = Object.values(stack.upstreams.services).flatMap((s) => s.calls);
      expect(calls.every((c) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(c.headers.traceparent ?? ""))).toBe(true);
    } finally {
      await stack.close();
    }
  });
});
