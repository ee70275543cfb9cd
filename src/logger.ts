import pino, { type Logger } from "pino";

/** The process logger: one JSON line per event, secrets redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "storefront-bff" },
    redact: { paths: ["authorization", "*.authorization", "headers.authorization", "apiKey", "*.apiKey"], censor: "[redacted]" },
  });
}
