import type { RedisClientType } from "@keyv/redis";
import type { Logger } from "pino";
import { guardedClient } from "./guarded-store-client";
import { resolvesWithin } from "./resolves-within";
import { isReply, StoreUnavailableError } from "./store-errors";
import { StoreHealth, type StoreObserver } from "./store-health";

export interface StoreLinkOptions {
  /** Bound of one store call (tens of ms): past it the call fails and the request goes on without the store. */
  readonly timeoutMs: number;
  /** How often a down store is probed with PING once its connection is ready. */
  readonly probeIntervalMs: number;
  /**
   * A failed or timed-out call only fails itself; it also starts a check (PING) that must answer
   * within this bound, or the store is down. So a store that is slow for a moment under load
   * does not flap, and a dead or frozen one is recognised within this bound.
   */
  readonly confirmMs: number;
}

/** One instance for every call refused while down: a flag check and no stack capture per call. */
const DOWN = new StoreUnavailableError("down");

/** How long a close waits for the answers of queued commands before it drops the connection. */
const CLOSE_GRACE_MS = 1_000;

/**
 * The link to Redis, and the only way the BFF reaches it. It keeps the store's state from the
 * client's events and from call outcomes, and hands out `client`: the Redis client wrapped so
 * that every command (MULTI/EXEC included, which node-redis queues while disconnected even with
 * `disableOfflineQueue`) fails at once while the store is not up, and is bounded by `timeoutMs`
 * while it is. Libraries given `client` (keyv) therefore never wait on a
 * dead or frozen Redis. The client reconnects by itself; a store that stopped answering on a live
 * connection (frozen) is probed with PING until it answers. Each change of state is logged once.
 * The watching is StoreHealth's (store-health.ts); the wrapping is guardedClient's (guarded-store-client.ts).
 */
export class StoreLink extends StoreHealth {
  readonly client: RedisClientType;

  constructor(raw: RedisClientType, options: StoreLinkOptions, logger: Logger, observer?: StoreObserver) {
    super(raw, options, logger, observer);
    this.client = guardedClient(raw, this);
  }

  /** Connects in the background: never awaited, so the BFF starts and serves without Redis. */
  start(): void {
    this.raw.connect().catch(() => undefined); // failures surface as "error" events; the client keeps retrying
    this.schedule();
  }

  /** Resolves true once the store is up, or false after `ms` (start waits this long at most, then serves degraded). */
  whenUp(ms: number): Promise<boolean> {
    if (this.current === "up") return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve(false);
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.add(done);
    });
  }

  /** Runs one store call: refused at once unless the store is up, failed after `timeoutMs`. */
  call<T>(run: () => Promise<T>): Promise<T> {
    if (!this.available) {
      this.observer?.call("skipped", 0);
      return Promise.reject(DOWN);
    }
    const started = performance.now();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      // Timers run before the event loop reads sockets: when the loop was busy, an answer may be
      // waiting unread. setImmediate lets that read happen first, so only a store that really
      // did not answer times out (not one whose answer found this process busy).
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (settled) return;
            settled = true;
            this.failed("timeout", started);
            reject(new StoreUnavailableError("timeout"));
          }),
        this.options.timeoutMs,
      );
      run().then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          this.observer?.call("ok", (performance.now() - started) / 1000);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (isReply(error)) {
            // Redis answered: the store is up, the command was wrong
            this.observer?.call("error", (performance.now() - started) / 1000);
            reject(error);
            return;
          }
          this.failed("error", started);
          reject(new StoreUnavailableError("error"));
        },
      );
    });
  }

  async close(): Promise<void> {
    if (this.probing) clearTimeout(this.probing);
    this.probing = null;
    const wasUp = this.current === "up" && this.raw.isReady;
    this.current = "down";
    if (!this.raw.isOpen) return;
    // A graceful close waits for the answer to every queued command, which a reconnecting or
    // frozen store never sends: such a store is dropped at once, and a live one gets
    // CLOSE_GRACE_MS. Shutdown never hangs on Redis.
    if (!wasUp) {
      this.raw.destroy();
      return;
    }
    // Past the grace the client is closing already (destroy would throw): it never keeps the process alive.
    if (!(await resolvesWithin(this.raw.close(), CLOSE_GRACE_MS))) this.raw.unref();
  }
}
