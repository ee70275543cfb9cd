// Part of parseConfig (src/config.ts): tracing from the standard OTEL_* variables.
import type { TracingConfig } from "../telemetry/tracing";
import type { Env } from "./env-readers";

const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

/**
 * Tracing is on when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or
 * OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces) and OTEL_SDK_DISABLED is not true. Spans go out as
 * OTLP/HTTP with JSON bodies.
 */
export function tracingConfig(env: Env, problems: string[]): TracingConfig | null {
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const baseEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none" || (!tracesEndpoint && !baseEndpoint))
    return null;
  const found = problems.length;
  if (env.OTEL_TRACES_EXPORTER && env.OTEL_TRACES_EXPORTER !== "otlp")
    problems.push(`OTEL_TRACES_EXPORTER must be otlp or none, got "${env.OTEL_TRACES_EXPORTER}"`);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== "http/json")
    problems.push(
      `OTEL_EXPORTER_OTLP_PROTOCOL must be http/json (the BFF exports OTLP over HTTP with JSON), got "${protocol}"`,
    );
  let endpoint = "";
  try {
    endpoint = tracesEndpoint
      ? new URL(tracesEndpoint).toString()
      : `${new URL(baseEndpoint as string).toString().replace(/\/$/, "")}/v1/traces`;
  } catch {
    problems.push(
      `${tracesEndpoint ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT"} is not a URL: "${tracesEndpoint ?? baseEndpoint}"`,
    );
  }
  const pairs = (name: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const part of (env[name] ?? "").split(",")) {
      if (part.trim() === "") continue;
      const eq = part.indexOf("=");
      if (eq <= 0) {
        problems.push(`${name} must be key=value pairs separated by commas`);
        continue;
      }
      out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
    }
    return out;
  };
  const sampler = env.OTEL_TRACES_SAMPLER || "parentbased_always_on";
  if (!(SAMPLERS as readonly string[]).includes(sampler))
    problems.push(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(", ")}, got "${sampler}"`);
  const ratioRaw = env.OTEL_TRACES_SAMPLER_ARG;
  const sampleRatio = ratioRaw ? Number(ratioRaw) : 1;
  if (!(sampleRatio >= 0 && sampleRatio <= 1))
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a number in 0..1, got "${ratioRaw}"`);
  const timeoutRaw = env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT || env.OTEL_EXPORTER_OTLP_TIMEOUT;
  const timeoutMs = timeoutRaw ? Number(timeoutRaw) : 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    problems.push(`OTEL_EXPORTER_OTLP_TIMEOUT must be a positive integer (milliseconds), got "${timeoutRaw}"`);
  const config: TracingConfig = {
    endpoint,
    headers: { ...pairs("OTEL_EXPORTER_OTLP_HEADERS"), ...pairs("OTEL_EXPORTER_OTLP_TRACES_HEADERS") },
    serviceName: env.OTEL_SERVICE_NAME || "storefront-bff",
    resourceAttributes: pairs("OTEL_RESOURCE_ATTRIBUTES"),
    sampler,
    sampleRatio,
    timeoutMs,
  };
  return problems.length === found ? config : null;
}
