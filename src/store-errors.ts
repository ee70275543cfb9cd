/** Thrown instead of calling Redis while it is not up, and by a call that outlived its timeout. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(readonly reason: "down" | "timeout" | "error") {
    super(`shared store unavailable (${reason})`);
  }
}

/** Redis answered with an error (node-redis's ErrorReply and its subclasses): the store itself is up. */
export function isReply(error: unknown): boolean {
  for (
    let proto = error === null || typeof error !== "object" ? null : Object.getPrototypeOf(error);
    proto;
    proto = Object.getPrototypeOf(proto)
  ) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === "ErrorReply") return true;
  }
  return false;
}
