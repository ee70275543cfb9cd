import pino, { type Logger } from "pino";

/**
 * The process logger: one JSON line per event, secrets redacted, written asynchronously
 * (lines are coalesced while a write is in flight) so that logging never blocks a request.
 * Call `flushLogger` before the process exits.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: "storefront-bff" },
      redact: {
        paths: ["authorization", "*.authorization", "headers.authorization", "apiKey", "*.apiKey"],
        censor: "[redacted]",
      },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

/** Writes out what the asynchronous destination still holds. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}
