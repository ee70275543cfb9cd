import { GraphQLError } from "graphql";

/**
 * Every `extensions.code` the BFF itself raises. docs/clients/errors.md lists
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
  CheckoutInProgress: "CHECKOUT_IN_PROGRESS",
  CheckoutCancelled: "CHECKOUT_CANCELLED",
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
  constructor(
    message = "Authentication required: send Authorization: Bearer <token>",
    httpStatus?: number,
    bearerError: "invalid_token" | "invalid_request" = "invalid_token",
  ) {
    super(
      message,
      ErrorCode.Unauthenticated,
      httpStatus
        ? {
            http: {
              status: httpStatus,
              headers: new Map([["www-authenticate", `Bearer realm="storefront", error="${bearerError}"`]]),
            },
          }
        : {},
    );
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

/** Refused before execution: the query's computed cost is over the limit (docs/clients/cost-and-limits.md). */
export class QueryTooCostlyError extends BffError {
  constructor(cost: number, maximumCost: number) {
    super(
      `Query cost ${cost} exceeds the maximum of ${maximumCost}: ask for fewer items (lower "first") or fewer nested fields`,
      ErrorCode.QueryTooCostly,
      { cost, maximumCost, http: { status: 400 } },
    );
  }
}

/** The caller's cost budget for this window is spent. */
export class RateLimitedError extends BffError {
  constructor(retryAfterSeconds: number, extensions: Record<string, unknown>) {
    super(`Rate limit exceeded: retry in ${retryAfterSeconds} s`, ErrorCode.RateLimited, {
      ...extensions,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
    });
  }
}

/** Why a checkout is waiting or was cancelled, as the client sees it (docs/clients/checkout.md). */
export interface CheckoutCauseExtensions {
  readonly reason: string;
  readonly service?: string;
}

const causeExtensions = (cause: CheckoutCauseExtensions | null): Record<string, unknown> =>
  cause ? { reason: cause.reason, ...(cause.service ? { service: cause.service } : {}) } : {};

/**
 * The checkout with this key is not finished: another call or process is driving it, or it waits
 * for an upstream. Retryable: the same key answers its outcome once there is one.
 */
export class CheckoutInProgressError extends BffError {
  constructor(cause: CheckoutCauseExtensions | null) {
    super(
      "This checkout is still in progress; retry with the same idempotencyKey to get its outcome",
      ErrorCode.CheckoutInProgress,
      { retryable: true, ...causeExtensions(cause) },
    );
  }
}

/** The checkout with this key failed and was undone: nothing charged, nothing held. Not retryable with this key. */
export class CheckoutCancelledError extends BffError {
  constructor(cause: CheckoutCauseExtensions) {
    const why = cause.service
      ? `the ${cause.service} service failed (${cause.reason})`
      : `it was ${cause.reason === "interrupted" ? "interrupted" : cause.reason}`;
    super(
      `This checkout was cancelled because ${why}; nothing was charged and nothing is held. Check out again with a new idempotencyKey`,
      ErrorCode.CheckoutCancelled,
      { retryable: false, ...causeExtensions(cause) },
    );
  }
}
