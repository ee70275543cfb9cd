import { UpstreamError } from "../../src/errors/upstream-error";

/**
 * A write whose answer never came (timeout, reset, 5xx, open circuit after earlier attempts):
 * the upstream may or may not have applied it. Only a replay with the same idempotency key, or
 * a later notification, can tell. `error` says why, for logs and for the client's `cause`.
 */
export interface UnknownOutcome {
  readonly outcome: "unknown";
  readonly error: UpstreamError;
}

/** An upstream's definitive refusal: a 4xx other than 408 and 429, with its status and code. */
export interface Refusal {
  readonly status: number;
  readonly code: string | undefined;
}

/**
 * Runs a write (`call` maps its answer to an outcome) and turns its failure into data: a definitive 4xx goes to `refused`, which maps it
 * to an outcome (or returns null to rethrow: a 4xx we did not expect is our bug); anything else
 * is `unknown`. Only non-UpstreamErrors are rethrown as they are.
 */
export async function writeOutcome<R>(
  call: () => Promise<R>,
  refused: (refusal: Refusal) => R | null,
): Promise<R | UnknownOutcome> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    if (
      error.kind === "status" &&
      error.status !== undefined &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 408 &&
      error.status !== 429
    ) {
      const mapped = refused({ status: error.status, code: error.code });
      if (mapped === null) throw error;
      return mapped;
    }
    return { outcome: "unknown", error };
  }
}
