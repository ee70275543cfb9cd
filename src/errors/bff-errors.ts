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

/** No valid identity. Thrown while building the context it answers the whole request with 401. */
export class UnauthenticatedError extends BffError {
  constructor(message = "Authentication required: send Authorization: Bearer <token>", httpStatus?: number) {
    super(message, ErrorCode.Unauthenticated, httpStatus ? { http: { status: httpStatus } } : {});
  }
}

export class ForbiddenError extends BffError {
  constructor(message = "Not allowed") {
    super(message, ErrorCode.Forbidden);
  }
}

export class NotFoundError extends BffError {
  constructor(message: string) {
    super(message, ErrorCode.NotFound);
  }
}

/** Another call with the same checkout key is still running; retrying with the same key is safe. */
export class CheckoutBusyError extends BffError {
  constructor() {
    super("A checkout with this idempotencyKey is still in progress; retry with the same key", ErrorCode.Conflict);
  }
}
