import { GraphQLError } from "graphql";
import { formatError } from "../../../src/errors/format-error";
import { UpstreamError } from "../../../src/errors/upstream-error";

const wrap = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["product", "stock"] });
const format = (error: unknown, production = false) => formatError({ message: (error as Error).message, path: ["product", "stock"], extensions: (error as GraphQLError).extensions }, error, production);

describe("formatError", () => {
  test.each([
    [new UpstreamError("inventory", "status", 503), "UPSTREAM_UNAVAILABLE", "The inventory service is unavailable"],
    [new UpstreamError("inventory", "network"), "UPSTREAM_UNAVAILABLE", "The inventory service is unavailable"],
    [new UpstreamError("reviews", "timeout"), "UPSTREAM_TIMEOUT", "The reviews service did not answer in time"],
    [new UpstreamError("reviews", "deadline"), "UPSTREAM_TIMEOUT", "The reviews service did not answer in time"],
    [new UpstreamError("catalog", "circuit-open"), "CIRCUIT_OPEN", "The catalog service is failing; calls are paused for a moment"],
  ])("%s -> %s with the service name and nothing else", (error, code, message) => {
    const formatted = format(wrap(error));
    expect(formatted).toEqual({ message, path: ["product", "stock"], extensions: { code, service: error.service } });
  });

  test("an upstream 4xx we did not expect is our bug: masked", () => {
    expect(format(wrap(new UpstreamError("catalog", "status", 400, "INVALID_QUERY")))).toEqual({ message: "Unexpected error", path: ["product", "stock"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });

  test("unexpected errors are masked, never with a stack or internal message", () => {
    const formatted = format(wrap(new TypeError("Cannot read properties of undefined (reading 'x') at http://catalog.internal?key=secret")));
    expect(formatted).toEqual({ message: "Unexpected error", path: ["product", "stock"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });

  test("validation suggestions are dropped in production only", () => {
    const error = new GraphQLError('Cannot query field "nme" on type "Product". Did you mean "name"?', { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(format(error, true).message).toBe('Cannot query field "nme" on type "Product".');
    expect(format(error, false).message).toContain("Did you mean");
  });
});
