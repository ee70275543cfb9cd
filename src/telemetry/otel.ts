import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type Tracer,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from "@opentelemetry/semantic-conventions";
import type { UpstreamRequest } from "../http/service-http";
import { batchSizeOf, cacheResultOf, routeOf, type CallHandle } from "./observe";
import type { Phase, RequestTrace, Tracing, TracingConfig } from "./tracing";

/** Span attribute names beyond the stable semantic conventions. */
export const Attr = {
  operationName: "graphql.operation.name",
  operationType: "graphql.operation.type",
  clientName: "bff.client.name",
  errorCodes: "bff.error.codes",
  service: "bff.upstream.service",
  cacheResult: "bff.cache.result",
  batchSize: "bff.batch.size",
  failure: "bff.upstream.failure",
} as const;

const propagator = new W3CTraceContextPropagator();
const getter: TextMapGetter<Record<string, string | undefined>> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};

/** Where spans go: OTLP/HTTP in production; tests pass an in-memory exporter (exported at once). */
export interface TracingOptions {
  readonly exporter?: SpanExporter;
}

/** The SDK's tracer provider with an OTLP/HTTP exporter (batched), sampled as OTEL_TRACES_SAMPLER says. */
export function createTracing(config: TracingConfig, options: TracingOptions = {}): Tracing {
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({ url: config.endpoint, headers: { ...config.headers }, timeoutMillis: config.timeoutMs });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName }),
    sampler: samplerOf(config.sampler, config.sampleRatio),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("storefront-bff");
  return {
    startRequest: (traceparent, tracestate, clientName) =>
      new OtelRequestTrace(tracer, traceparent, tracestate, clientName),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

function samplerOf(name: string, ratio: number): Sampler {
  const root = name.endsWith("always_off")
    ? new AlwaysOffSampler()
    : name.endsWith("traceidratio")
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith("parentbased_") ? new ParentBasedSampler({ root }) : root;
}

class OtelRequestTrace implements RequestTrace {
  private readonly span: Span;
  private readonly parent: Context;
  /** Parent of upstream call spans: the execute span while it is open. */
  private current: Context;

  constructor(
    private readonly tracer: Tracer,
    traceparent: string | undefined,
    tracestate: string | undefined,
    clientName: string | undefined,
  ) {
    const incoming = traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent, tracestate }, getter) : ROOT_CONTEXT;
    this.span = tracer.startSpan(
      "graphql.request",
      { kind: SpanKind.SERVER, attributes: clientName ? { [Attr.clientName]: clientName } : {} },
      incoming,
    );
    this.parent = trace.setSpan(incoming, this.span);
    this.current = this.parent;
  }

  phase(name: Phase): (error?: unknown) => void {
    const span = this.tracer.startSpan(name, {}, this.parent);
    if (name === "graphql.execute") this.current = trace.setSpan(this.parent, span);
    return (error) => {
      if (error)
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
      if (name === "graphql.execute") this.current = this.parent;
    };
  }

  operation(name: string | null | undefined, type: string | undefined): void {
    if (name) this.span.setAttribute(Attr.operationName, name);
    if (type) this.span.setAttribute(Attr.operationType, type);
    this.span.updateName(`${type ?? "graphql"} ${name ?? "anonymous"}`);
  }

  upstreamCall(service: string, req: UpstreamRequest): CallHandle {
    const method = req.method ?? "GET";
    const route = routeOf(req.path);
    const span = this.tracer.startSpan(
      `${method} ${service} ${route}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: method,
          [ATTR_HTTP_ROUTE]: route,
          [ATTR_URL_PATH]: req.path,
          [Attr.service]: service,
          [Attr.batchSize]: batchSizeOf(req),
        },
      },
      this.current,
    );
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(this.current, span), carrier, {
      set: (c, k, v) => {
        c[k] = v;
      },
    });
    return {
      traceparent: carrier.traceparent,
      end: (status, cacheControl, failure) => {
        if (status > 0) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        span.setAttribute(Attr.cacheResult, status > 0 ? cacheResultOf(req, status, cacheControl) : "miss");
        if (failure) span.setAttribute(Attr.failure, failure);
        if (failure || status >= 500)
          span.setStatus({ code: SpanStatusCode.ERROR, message: failure ?? `HTTP ${status}` });
        span.end();
      },
    };
  }

  errorCodes(codes: readonly string[]): void {
    if (codes.length > 0) this.span.setAttribute(Attr.errorCodes, [...codes]);
  }

  end(status: number): void {
    this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 500) this.span.setStatus({ code: SpanStatusCode.ERROR });
    this.span.end();
  }
}
