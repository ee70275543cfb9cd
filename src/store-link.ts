import type { RedisClientType } from "@keyv/redis";
import type { Logger } from "pino";

/**
 * `connecting`: never reached yet (the BFF serves without it); `up`: answering; `down`: lost,
 * refusing or too slow (calls fail at once until a probe answers again).
 */
export type StoreState = "connecting" | "up" | "down";

/** Thrown instead of calling Redis while it is not up, and by a call that outlived its timeout. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(readonly reason: "down" | "timeout" | "error") {
    super(`shared store unavailable (${reason})`);
  }
}

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

/** What /metrics is told of every store call and state change. */
export interface StoreObserver {
  call(outcome: "ok" | "error" | "timeout" | "skipped", seconds: number): void;
  state(state: StoreState): void;
}

/** One instance for every call refused while down: a flag check and no stack capture per call. */
const DOWN = new StoreUnavailableError("down");

/** Commands that are not Redis calls: they pass through unguarded. */
const PASS_THROUGH = new Set<string | symbol>([
  "on",
  "once",
  "off",
  "addListener",
  "removeListener",
  "removeAllListeners",
  "emit",
  "listenerCount",
  "connect",
  "close",
  "destroy",
  "quit",
  "disconnect",
  "duplicate",
  "isOpen",
  "isReady",
  "options",
  "then",
]);

/**
 * The link to Redis, and the only way the BFF reaches it. It keeps the store's state from the
 * client's events and from call outcomes, and hands out `client`: the Redis client wrapped so
 * that every command (MULTI/EXEC included, which node-redis queues while disconnected even with
 * `disableOfflineQueue`) fails at once while the store is not up, and is bounded by `timeoutMs`
 * while it is. Libraries given `client` (keyv, rate-limiter-flexible) therefore never wait on a
 * dead or frozen Redis. The client reconnects by itself; a store that stopped answering on a live
 * connection (frozen) is probed with PING until it answers. Each change of state is logged once.
 */
export class StoreLink {
  private current: StoreState = "connecting";
  private checking = false;
  private probing: NodeJS.Timeout | null = null;
  private warnedConnecting = false;
  private readonly waiters = new Set<() => void>();
  private readonly wrapped = new Map<string | symbol, unknown>();
  readonly client: RedisClientType;

  constructor(
    private readonly raw: RedisClientType,
    private readonly options: StoreLinkOptions,
    private readonly logger: Logger,
    private readonly observer?: StoreObserver,
  ) {
    this.client = new Proxy(raw, { get: (target, prop) => this.member(target, prop) }) as RedisClientType;
    raw.on("ready", () => void this.probe());
    raw.on("error", (error: unknown) => this.lost(error));
    raw.on("end", () => this.lost(null));
  }

  get state(): StoreState {
    return this.current;
  }

  /** A flag check, for callers that pick a fallback before trying (rate limits, checkout). */
  get available(): boolean {
    return this.current === "up" && this.raw.isReady;
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
    this.current = "down";
    if (this.raw.isOpen) await this.raw.close().catch(() => this.raw.destroy());
  }

  private member(target: RedisClientType, prop: string | symbol): unknown {
    const value = Reflect.get(target, prop, target) as unknown;
    if (typeof value !== "function" || PASS_THROUGH.has(prop))
      return typeof value === "function" ? value.bind(target) : value;
    let wrapper = this.wrapped.get(prop);
    if (!wrapper) {
      const method = value as (...args: unknown[]) => unknown;
      wrapper =
        prop === "multi" || prop === "MULTI"
          ? (...args: unknown[]) => this.guardTransaction(method.apply(target, args) as Record<string, unknown>)
          : (...args: unknown[]) => this.call(() => method.apply(target, args) as Promise<unknown>);
      this.wrapped.set(prop, wrapper);
    }
    return wrapper;
  }

  /** A MULTI is built locally; only its EXEC reaches Redis, so only that is guarded. */
  private guardTransaction(multi: Record<string, unknown>): Record<string, unknown> {
    for (const name of ["exec", "execAsPipeline", "EXEC"]) {
      const exec = multi[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      if (exec) multi[name] = (...args: unknown[]) => this.call(() => exec.apply(multi, args));
    }
    return multi;
  }

  /** Start gave up waiting (a frozen Redis raises no error): say so, once. */
  reportSlowStart(waitedMs: number): void {
    if (this.current === "connecting") this.become("connecting", { reason: `not ready within ${waitedMs} ms` });
  }

  private failed(outcome: "error" | "timeout", started: number): void {
    this.observer?.call(outcome, (performance.now() - started) / 1000);
    if (!this.raw.isReady) this.lost(new Error("connection lost"));
    else if (!this.checking) void this.check(outcome);
  }

  /** After a failed call: down unless a PING answers within `confirmMs`. One check at a time. */
  private async check(outcome: "error" | "timeout"): Promise<void> {
    this.checking = true;
    const answered = await this.ping(this.options.confirmMs);
    this.checking = false;
    if (!answered && this.current === "up")
      this.become("down", {
        reason: `${outcome === "timeout" ? `a call got no answer within ${this.options.timeoutMs} ms` : "a call failed"}, and PING none within ${this.options.confirmMs} ms`,
      });
  }

  private ping(boundMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), boundMs);
      this.raw.ping().then(
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        () => {
          clearTimeout(timer);
          resolve(false);
        },
      );
    });
  }

  private lost(error: unknown): void {
    if (this.current === "down" && error !== null) return;
    this.become(this.current === "connecting" ? "connecting" : "down", {
      reason: error === null ? "connection closed" : (error as Error).message,
    });
  }

  private become(next: StoreState, details: Record<string, unknown>): void {
    if (this.current === next) {
      if (next === "connecting" && !this.warnedConnecting) {
        this.warnedConnecting = true;
        this.logger.warn(
          details,
          "shared store unreachable at start; serving without it (degraded) and connecting in the background",
        );
      }
      return;
    }
    this.current = next;
    this.observer?.state(next);
    if (next === "up") {
      this.logger.info({}, "shared store up");
      for (const done of this.waiters) done();
      this.waiters.clear();
    } else this.logger.warn(details, "shared store down; serving without it (degraded) until it answers");
    this.schedule();
  }

  /** While not up, one timer probes; none runs while the store is up. */
  private schedule(): void {
    if (this.current === "up" || this.probing) return;
    this.probing = setTimeout(() => {
      this.probing = null;
      void this.probe().finally(() => this.schedule());
    }, this.options.probeIntervalMs);
    this.probing.unref();
  }

  private async probe(): Promise<void> {
    if (this.current === "up" || !this.raw.isReady) return;
    const answered = await this.ping(this.options.confirmMs);
    if (answered && this.raw.isReady) this.become("up", {});
  }
}

/** Redis answered with an error (node-redis's ErrorReply and its subclasses): the store itself is up. */
function isReply(error: unknown): boolean {
  for (
    let proto = error === null || typeof error !== "object" ? null : Object.getPrototypeOf(error);
    proto;
    proto = Object.getPrototypeOf(proto)
  ) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === "ErrorReply") return true;
  }
  return false;
}
