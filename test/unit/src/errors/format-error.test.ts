import { GraphQLError } from "graphql";
import { RateLimitedError } from "../../../../src/errors/bff-errors";
import { classifyError, formatError } from "../../../../src/errors/format-error";
import { StoreUnavailableError } from "../../../../src/store-errors";
import { UpstreamError } from "../../../../src/errors/upstream-error";

const wrap = (original: Error) =>
  new GraphQLError(original.message, { originalError: original, path: ["product", "stock"] });
const format = (error: unknown, production = false) =>
  formatError(
    { message: (error as Error).message, path: ["product", "stock"], extensions: (error as GraphQLError).extensions },
    error,
    production,
  );

describe("formatError", () => {
  test.each([
    [new UpstreamError("inventory", "status", 503), "UPSTREAM_UNAVAILABLE", "The inventory service is unavailable"],
    [new UpstreamError("inventory", "network"), "UPSTREAM_UNAVAILABLE", "The inventory service is unavailable"],
    [new UpstreamError("reviews", "timeout"), "UPSTREAM_TIMEOUT", "The reviews service did not answer in time"],
    [new UpstreamError("reviews", "deadline"), "UPSTREAM_TIMEOUT", "The reviews service did not answer in time"],
    [
      new UpstreamError("catalog", "circuit-open"),
      "CIRCUIT_OPEN",
      "The catalog service is failing; calls are paused for a moment",
    ],
  ])("%s -> %s with the service name and nothing else", (error, code, message) => {
    const formatted = format(wrap(error));
    expect(formatted).toEqual({ message, path: ["product", "stock"], extensions: { code, service: error.service } });
  });

  test("an upstream 4xx we did not expect is our bug: masked", () => {
    expect(format(wrap(new UpstreamError("catalog", "status", 400, "INVALID_QUERY")))).toEqual({
      message: "Unexpected error",
      path: ["product", "stock"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  test("unexpected errors are masked, never with a stack or internal message", () => {
    const formatted = format(
      wrap(new TypeError("Cannot read properties of undefined (reading 'x') at http://catalog.internal?key=secret")),
    );
    expect(formatted).toEqual({
      message: "Unexpected error",
      path: ["product", "stock"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  test("validation suggestions are dropped in production only", () => {
    const error = new GraphQLError('Cannot query field "nme" on type "Product". Did you mean "name"?', {
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
    expect(format(error, true).message).toBe('Cannot query field "nme" on type "Product".');
    expect(format(error, false).message).toContain("Did you mean");
  });
});

describe("masking and classification", () => {
  test("a library's INTERNAL_SERVER_ERROR keeps its code, never its message", () => {
    const offline = new GraphQLError("The client is offline", { extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(format(offline, true)).toEqual({
      message: "Unexpected error",
      path: ["product", "stock"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  test("the store being down is an expected, retryable failure naming the store", () => {
    expect(format(wrap(new StoreUnavailableError("down")), true)).toEqual({
      message: "The shared store is unavailable; nothing was changed, retry in a moment",
      path: ["product", "stock"],
      extensions: { code: "UPSTREAM_UNAVAILABLE", service: "store" },
    });
  });

  test.each([
    [
      wrap(new UpstreamError("inventory", "status", 503)),
      { expected: true, code: "UPSTREAM_UNAVAILABLE", service: "inventory", kind: "status 503" },
    ],
    [
      wrap(new UpstreamError("catalog", "circuit-open")),
      { expected: true, code: "CIRCUIT_OPEN", service: "catalog", kind: "circuit-open" },
    ],
    [
      wrap(new UpstreamError("catalog", "status", 400)),
      { expected: false, code: "INTERNAL_SERVER_ERROR", service: "catalog", kind: "status 400" },
    ],
    [
      wrap(new StoreUnavailableError("timeout")),
      { expected: true, code: "UPSTREAM_UNAVAILABLE", service: "store", kind: "timeout" },
    ],
    [new RateLimitedError(3, {}), { expected: true, code: "RATE_LIMITED" }],
    [
      new GraphQLError("Cannot query field", { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
      { expected: true, code: "GRAPHQL_VALIDATION_FAILED" },
    ],
    [
      new GraphQLError("The client is offline", { extensions: { code: "INTERNAL_SERVER_ERROR" } }),
      { expected: false, code: "INTERNAL_SERVER_ERROR" },
    ],
    [wrap(new TypeError("Cannot read properties of undefined")), { expected: false, code: "INTERNAL_SERVER_ERROR" }],
    [
      new UpstreamError("reviews", "timeout"),
      { expected: true, code: "UPSTREAM_TIMEOUT", service: "reviews", kind: "timeout" },
    ],
  ])("classifyError(%s) decides from the original error: %j", (error, expected) => {
    expect(classifyError(error)).toEqual(expected);
  });
});
