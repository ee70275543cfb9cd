import { GraphQLError } from "graphql";

/**
 * Every `extensions.code` the BFF itself raises. The README's error table lists
 * them; no other code string exists in the codebase.
 */
export const ErrorCode = {
  BadUserInput: "BAD_USER_INPUT",
  Unauthenticated: "UNAUTHENTICATED",
  Forbidden: "FORBIDDEN",
  NotFound: "NOT_FOUND",
  UpstreamUnavailable: "UPSTREAM_UNAVAILABLE",
  UpstreamTimeout: "UPSTREAM_TIMEOUT",
  CircuitOpen: "CIRCUIT_OPEN",
  Conflict: "CONFLICT",
  QueryTooCostly: "QUERY_TOO_COSTLY",
  RateLimited: "RATE_LIMITED",
  BadRequest: "BAD_REQUEST",
  PayloadTooLarge: "PAYLOAD_TOO_LARGE",
  PersistedQueryNotAllowed: "PERSISTED_QUERY_NOT_ALLOWED",
  PersistedQueryNotFound: "PERSISTED_QUERY_NOT_FOUND",
  PersistedQueryNotSupported: "PERSISTED_QUERY_NOT_SUPPORTED",
  Internal: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

abstract class BffError extends GraphQLError {
  protected constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class BadUserInputError extends BffError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, ErrorCode.BadUserInput, extensions);
  }
}

/**
 * No valid identity. Thrown while building the context it answers the whole request with 401 and
 * the RFC 6750 challenge (`WWW-Authenticate: Bearer error="invalid_token"`, or `invalid_request`
 * for a malformed header).
 */
export class UnauthenticatedError extends BffError {
  constructor(message = "Authentication required: send Authorization: Bearer <token>", httpStatus?: number, bearerError: "invalid_token" | "invalid_request" = "invalid_token") {
    super(message, ErrorCode.Unauthenticated, httpStatus
      ? { http: { status: httpStatus, headers: new Map([["www-authenticate", `Bearer realm="storefront", error="${bearerError}"`]]) } }
      : {});
  }
}

export class ForbiddenError extends BffError {
  /** With `httpStatus` (a request refused before GraphQL runs, e.g. a cross-origin cookie request), the whole answer gets it. */
  constructor(message = "Not allowed", httpStatus?: number) {
    super(message, ErrorCode.Forbidden, httpStatus ? { http: { status: httpStatus } } : {});
  }
}

export class NotFoundError extends BffError {
  constructor(message: string) {
    super(message, ErrorCode.NotFound);
  }
}

/** Refused before execution: the query's computed cost is over the limit (README: "Limits"). */
export class QueryTooCostlyError extends BffError {
  constructor(cost: number, maximumCost: number) {
    super(`Query cost ${cost} exceeds the maximum of ${maximumCost}: ask for fewer items (lower "first") or fewer nested fields`,
      ErrorCode.QueryTooCostly, { cost, maximumCost, http: { status: 400 } });
  }
}

/** The caller's cost budget for this window is spent. */
export class RateLimitedError extends BffError {
  constructor(retryAfterSeconds: number, extensions: Record<string, unknown>) {
    super(`Rate limit exceeded: retry in ${retryAfterSeconds} s`, ErrorCode.RateLimited, {
      ...extensions, retryAfterSeconds, http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
    });
  }
}

/** Another call with the same checkout key is still running; retrying with the same key is safe. */
export class CheckoutBusyError extends BffError {
  constructor() {
    super("A checkout with this idempotencyKey is still in progress; retry with the same key", ErrorCode.Conflict);
  }
}
