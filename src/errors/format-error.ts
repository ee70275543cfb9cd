import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { ErrorCode } from "./bff-errors";
import { UpstreamError } from "./upstream-error";

/** Codes that may reach a client as they are; anything else is masked. */
const PASSING_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
]);

export const UNEXPECTED_MESSAGE = "Unexpected error";

/** Maps an upstream failure to what a client sees: a code and the service's name, nothing more. */
function upstreamErrorExtensions(error: UpstreamError): { code: ErrorCode; service: string } {
  if (error.kind === "timeout" || error.kind === "deadline") return { code: ErrorCode.UpstreamTimeout, service: error.service };
  if (error.kind === "circuit-open") return { code: ErrorCode.CircuitOpen, service: error.service };
  if (error.kind === "status" && error.status === 401) return { code: ErrorCode.Unauthenticated, service: error.service };
  if (error.kind === "status" && error.status === 403) return { code: ErrorCode.Forbidden, service: error.service };
  if (error.transient) return { code: ErrorCode.UpstreamUnavailable, service: error.service };
  return { code: ErrorCode.Internal, service: error.service };
}

const upstreamMessage: Record<string, string> = {
  [ErrorCode.UpstreamTimeout]: "did not answer in time",
  [ErrorCode.CircuitOpen]: "is failing; calls are paused for a moment",
  [ErrorCode.UpstreamUnavailable]: "is unavailable",
};

/**
 * Apollo's formatError: the only place that turns internal failures into client errors.
 * Upstream failures become UPSTREAM_* codes with the service's name; type-graphql's
 * argument validation becomes BAD_USER_INPUT; anything unexpected is masked (the
 * original is logged, with the request id, by the logging plugin).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, hideSuggestions: boolean): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof UpstreamError) {
    const extensions = upstreamErrorExtensions(original);
    if (extensions.code === ErrorCode.Internal) return { ...base, message: UNEXPECTED_MESSAGE, extensions: { code: ErrorCode.Internal } };
    const text = upstreamMessage[extensions.code] ?? "refused the request";
    return { ...base, message: `The ${original.service} service ${text}`, extensions };
  }
  const code = String(formatted.extensions?.code ?? "");
  if ((original as { name?: string } | null)?.name === "ArgumentValidationError") {
    return { ...base, extensions: { code: ErrorCode.BadUserInput } };
  }
  if (!PASSING_CODES.has(code)) {
    return { ...base, message: UNEXPECTED_MESSAGE, extensions: { code: ErrorCode.Internal } };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  const message = hideSuggestions && code === "GRAPHQL_VALIDATION_FAILED" ? formatted.message.replace(/ ?Did you mean .*\?$/, "") : formatted.message;
  return { ...base, message, extensions };
}
