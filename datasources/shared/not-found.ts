import { UpstreamError } from "../../src/errors/upstream-error";

/** `findX` contract: an upstream 404 means "no such thing", which is null, not an error. */
export async function nullIfNotFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof UpstreamError && error.kind === "status" && error.status === 404) return null;
    throw error;
  }
}
