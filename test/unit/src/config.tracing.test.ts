import { ConfigError, parseConfig } from "../../../src/config";

describe("parseConfig: tracing from the standard OTEL_* variables", () => {
  test("off when no endpoint is set, or when disabled", () => {
    expect(parseConfig({}).tracing).toBeNull();
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }).tracing).toBeNull();
    expect(
      parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }).tracing,
    ).toBeNull();
  });

  test("the base endpoint gets /v1/traces; the traces endpoint is used as is; headers, resource and sampler are read", () => {
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/" }).tracing).toEqual({
      endpoint: "http://c:4318/v1/traces",
      headers: {},
      serviceName: "storefront-bff",
      resourceAttributes: {},
      sampler: "parentbased_always_on",
      sampleRatio: 1,
      timeoutMs: 10_000,
    });
    const config = parseConfig({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://c.example/otlp/traces",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20x, x-tenant=shop",
      OTEL_SERVICE_NAME: "bff-eu",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
    }).tracing;
    expect(config).toMatchObject({
      endpoint: "https://c.example/otlp/traces",
      headers: { authorization: "Bearer x", "x-tenant": "shop" },
      serviceName: "bff-eu",
      resourceAttributes: { "deployment.environment": "prod" },
      sampler: "parentbased_traceidratio",
      sampleRatio: 0.25,
    });
  });

  test("reports every bad OTEL_* value at once", () => {
    let error: unknown;
    try {
      parseConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: "not a url",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_TRACES_SAMPLER: "sometimes",
        OTEL_TRACES_SAMPLER_ARG: "2",
        OTEL_EXPORTER_OTLP_HEADERS: "novalue",
        OTEL_EXPORTER_OTLP_TIMEOUT: "-1",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringContaining("OTEL_EXPORTER_OTLP_PROTOCOL must be http/json"),
      expect.stringContaining("OTEL_EXPORTER_OTLP_ENDPOINT is not a URL"),
      expect.stringContaining("OTEL_TRACES_SAMPLER must be one of"),
      expect.stringContaining("OTEL_TRACES_SAMPLER_ARG must be a number in 0..1"),
      expect.stringContaining("OTEL_EXPORTER_OTLP_TIMEOUT must be a positive integer"),
      expect.stringContaining("OTEL_EXPORTER_OTLP_HEADERS must be key=value"),
    ]);
  });
});
