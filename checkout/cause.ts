import { UpstreamError } from "../src/errors/upstream-error";
import type { CheckoutCause } from "./model";

/** What a failure means for the client's `cause`: which service, and how it failed. */
export function causeOf(error: unknown): CheckoutCause {
  if (!(error instanceof UpstreamError)) return { reason: "internal" };
  const { service } = error;
  if (error.kind === "timeout" || error.kind === "deadline") return { reason: "upstream_timeout", service };
  if (error.kind === "circuit-open") return { reason: "circuit_open", service };
  if (error.kind === "status" && !error.transient) return { reason: "upstream_refused", service };
  return { reason: "upstream_unavailable", service };
}
