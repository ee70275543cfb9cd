import type { ServiceName } from "../services";

/**
 * Why an upstream call failed:
 * `timeout` (no answer in time), `network` (refused, reset), `status` (an error status),
 * `circuit-open` (not attempted: the service's breaker is open), `rejected` (not attempted:
 * too many calls in flight), `deadline` (not attempted: the client request's deadline is spent).
 */
export type UpstreamFailure = "timeout" | "network" | "status" | "circuit-open" | "rejected" | "deadline";

/** The one error datasources throw. Carries the service's name, never its URL or key. */
export class UpstreamError extends Error {
  constructor(
    readonly service: ServiceName,
    readonly kind: UpstreamFailure,
    /** HTTP status, for kind `status`. */
    readonly status?: number,
    /** The upstream's own error code (`{code, message}` body), e.g. OUT_OF_STOCK. */
    readonly code?: string,
  ) {
    super(`${service}: ${kind}${status ? ` ${status}` : ""}${code ? ` ${code}` : ""}`);
    this.name = "UpstreamError";
  }

  /** A failure that may go away on its own: worth a retry, or serving stale data. */
  get transient(): boolean {
    return this.kind !== "status" || this.status === undefined || this.status >= 500 || this.status === 429;
  }
}
