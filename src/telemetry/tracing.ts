import type { CallObserver } from "./observe";
import type * as Otel from "./otel";

/** OTLP/HTTP export settings, from the standard OTEL_* variables (config.ts); null: tracing off. */
export interface TracingConfig {
  /** Full URL spans are POSTed to (OTLP/HTTP, JSON). */
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** `always_on`, `always_off`, `traceidratio`, and their `parentbased_` forms. */
  readonly sampler: string;
  readonly sampleRatio: number;
  readonly timeoutMs: number;
}

/** The process's tracer: one per BFF, built only when tracing is configured. */
export interface Tracing {
  /** The request span, continuing the client's `traceparent` when it sent a valid one. */
  startRequest(
    traceparent: string | undefined,
    tracestate: string | undefined,
    clientName: string | undefined,
  ): RequestTrace;
  /** Exports every finished span now (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export type Phase = "graphql.parse" | "graphql.validate" | "graphql.execute";

/** The spans of one request. Upstream call spans are children of the execute span while it is open. */
export interface RequestTrace extends CallObserver {
  /** Starts a phase span; call the result to end it (with the error, if the phase failed). */
  phase(name: Phase): (error?: unknown) => void;
  operation(name: string | null | undefined, type: string | undefined): void;
  /** The `extensions.code` of each error the response carries. */
  errorCodes(codes: readonly string[]): void;
  /** The response is written (or the client went away): ends the request span. */
  end(status: number): void;
}

/**
 * Loads OpenTelemetry only when tracing is configured: with tracing off, no module of it is
 * loaded and the request path holds null (one check per request and per upstream call).
 */
export function loadTracing(config: TracingConfig | null): Tracing | null {
  if (!config) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy: nothing of OTel is loaded when tracing is off
  const otel = require("./otel") as typeof Otel;
  return otel.createTracing(config);
}
