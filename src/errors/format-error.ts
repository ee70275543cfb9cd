import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ErrorCode } from "./bff-errors";
import { StoreUnavailableError } from "../store-errors";
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
  if (error.kind === "timeout" || error.kind === "deadline")
    return { code: ErrorCode.UpstreamTimeout, service: error.service };
  if (error.kind === "circuit-open") return { code: ErrorCode.CircuitOpen, service: error.service };
  if (error.kind === "status" && error.status === 401)
    return { code: ErrorCode.Unauthenticated, service: error.service };
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
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  hideSuggestions: boolean,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof UpstreamError) {
    const extensions = upstreamErrorExtensions(original);
    if (extensions.code === ErrorCode.Internal)
      return { ...base, message: UNEXPECTED_MESSAGE, extensions: { code: ErrorCode.Internal } };
    const text = upstreamMessage[extensions.code] ?? "refused the request";
    return { ...base, message: `The ${original.service} service ${text}`, extensions };
  }
  if (original instanceof StoreUnavailableError) {
    return {
      ...base,
      message: "The shared store is unavailable; nothing was changed, retry in a moment",
      extensions: { code: ErrorCode.UpstreamUnavailable, service: "store" },
    };
  }
  const code = String(formatted.extensions?.code ?? "");
  if ((original as { name?: string } | null)?.name === "ArgumentValidationError") {
    return { ...base, extensions: { code: ErrorCode.BadUserInput } };
  }
  if (!PASSING_CODES.has(code) || code === ErrorCode.Internal) {
    // a library's INTERNAL_SERVER_ERROR keeps its code, never its message
    return { ...base, message: UNEXPECTED_MESSAGE, extensions: { code: ErrorCode.Internal } };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  const message =
    hideSuggestions && code === "GRAPHQL_VALIDATION_FAILED"
      ? formatted.message.replace(/ ?Did you mean .*\?$/, "")
      : formatted.message;
  return { ...base, message, extensions };
}

/** What the request log says of one error: expected failures carry their code, service and kind; the rest are bugs. */
export interface ErrorClass {
  readonly expected: boolean;
  readonly code: string;
  readonly service?: string;
  readonly kind?: string;
}

/**
 * Decides from the original error (not from what formatError made of it, which runs later) whether
 * a failure was expected: an upstream or store failure, a limit, authentication, bad input; or
 * unexpected (a bug, logged at error with its stack). Takes a GraphQLError or a raw error.
 */
export function classifyError(error: unknown): ErrorClass {
  const original = error instanceof GraphQLError ? unwrapResolverError(error) : error;
  if (original instanceof UpstreamError) {
    const { code, service } = upstreamErrorExtensions(original);
    return {
      expected: code !== ErrorCode.Internal,
      code,
      service,
      kind: original.kind === "status" ? `status ${original.status}` : original.kind,
    };
  }
  if (original instanceof StoreUnavailableError)
    return { expected: true, code: ErrorCode.UpstreamUnavailable, service: "store", kind: original.reason };
  if ((original as { name?: string } | null)?.name === "ArgumentValidationError")
    return { expected: true, code: ErrorCode.BadUserInput };
  const graphql = original instanceof GraphQLError ? original : error instanceof GraphQLError ? error : null;
  const code = graphql?.extensions?.code;
  if (typeof code === "string" && code !== ErrorCode.Internal && PASSING_CODES.has(code))
    return { expected: true, code };
  return { expected: false, code: ErrorCode.Internal };
}
