/**
 * Idempotency keys of a checkout's upstream writes: derived only from the checkout (user and client
 * key), the step and the line, never from an attempt or a process, so that a retry, a replica or a
 * recovery after a crash replays exactly the same writes and the upstream applies each once.
 */
export const writeKey = (checkoutId: string, step: "reserve" | "charge" | "order", line?: string): string =>
  line === undefined ? `${checkoutId}:${step}` : `${checkoutId}:${step}:${line}`;
