import type { EventEmitter } from "node:events";
import type { Logger } from "pino";

/**
 * On SIGTERM or SIGINT (once; a repeated signal changes nothing): runs `drain` (the BFF's drain,
 * then whatever else must close), then exits 0, or 1 when draining failed. `signals` is the
 * process in main.ts, an EventEmitter in tests.
 */
export function exitAfterDrain(
  signals: EventEmitter,
  drain: () => Promise<void>,
  flush: () => Promise<void>,
  exit: (code: number) => void,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining");
    let code = 0;
    try {
      await drain();
      logger.info({}, "drained; exiting");
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      code = 1;
    }
    await flush().catch(() => undefined);
    exit(code);
  };
  signals.on("SIGTERM", () => void stop("SIGTERM"));
  signals.on("SIGINT", () => void stop("SIGINT"));
}
