import type { RedisClientType } from "@keyv/redis";
import type { Logger } from "pino";
import type { StoreLinkOptions } from "./store-link";

/**
 * `connecting`: never reached yet (the BFF serves without it); `up`: answering; `down`: lost,
 * refusing or too slow (calls fail at once until a probe answers again).
 */
export type StoreState = "connecting" | "up" | "down";

/** What /metrics is told of every store call and state change. */
export interface StoreObserver {
  call(outcome: "ok" | "error" | "timeout" | "skipped", seconds: number): void;
  state(state: StoreState): void;
}

/**
 * The store's state, the half of StoreLink that watches Redis: kept from the client's events and
 * from call outcomes (`failed`), confirmed by PING before a store that failed a call is called
 * down, probed while not up, and each change logged once and told to the observer.
 */
export abstract class StoreHealth {
  protected current: StoreState = "connecting";
  private checking = false;
  protected probing: NodeJS.Timeout | null = null;
  private warnedConnecting = false;
  protected readonly waiters = new Set<() => void>();

  constructor(
    protected readonly raw: RedisClientType,
    protected readonly options: StoreLinkOptions,
    protected readonly logger: Logger,
    protected readonly observer?: StoreObserver,
  ) {
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

  /** Start gave up waiting (a frozen Redis raises no error): say so, once. */
  reportSlowStart(waitedMs: number): void {
    if (this.current === "connecting") this.become("connecting", { reason: `not ready within ${waitedMs} ms` });
  }

  protected failed(outcome: "error" | "timeout", started: number): void {
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
  protected schedule(): void {
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
