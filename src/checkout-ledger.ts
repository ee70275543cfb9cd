import { randomUUID } from "node:crypto";
import type { RedisClientType } from "@keyv/redis";
import type Keyv from "keyv";
import { StoreUnavailableError } from "./store-link";

/** What the BFF remembers of one client checkout key (in the shared store, so every replica agrees). */
export interface CheckoutRecord {
  /** Bumped when an attempt failed and was fully undone, so a retry charges with a fresh key. */
  readonly attempt: number;
  /** Set once an attempt succeeded: every later call with the key returns this order. */
  readonly orderId?: string;
}

/**
 * Serialises checkouts per client key across replicas (a lock in the shared store) and
 * keeps their outcome. In memory the lock is a Map; with Redis it is SET NX PX, released
 * only by its holder. While the store is down checkouts are refused (StoreUnavailableError, an
 * expected failure the client may retry): without the lock and the records, a retry could not
 * be told from a first attempt.
 */
export class CheckoutLedger {
  private readonly localLocks = new Map<string, string>();

  constructor(
    private readonly keyv: Keyv,
    private readonly redis: RedisClientType | null,
    private readonly options: { keyPrefix: string; lockTtlMs: number; recordTtlMs: number; waitMs: number },
    /** The shared store's state (a flag check); absent in memory-only mode. */
    private readonly available: () => boolean = () => true,
  ) {}

  get(scope: string): Promise<CheckoutRecord | undefined> {
    this.ensureStore();
    return this.keyv.get<CheckoutRecord>(`checkout:${scope}`);
  }

  async put(scope: string, record: CheckoutRecord): Promise<void> {
    this.ensureStore();
    await this.keyv.set(`checkout:${scope}`, record, this.options.recordTtlMs);
  }

  private ensureStore(): void {
    if (!this.available()) throw new StoreUnavailableError("down");
  }

  /** Runs `work` holding the key's lock; waits (bounded) while another call holds it. Null when it never got it. */
  async withLock<T>(scope: string, work: () => Promise<T>): Promise<T | null> {
    this.ensureStore();
    const token = randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    let pause = 10;
    while (!(await this.tryLock(scope, token))) {
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 200);
    }
    try {
      return await work();
    } finally {
      await this.unlock(scope, token).catch(() => undefined); // a lock we cannot delete expires by itself (lockTtlMs)
    }
  }

  private async tryLock(scope: string, token: string): Promise<boolean> {
    const key = `${this.options.keyPrefix}:lock:checkout:${scope}`;
    if (!this.redis) {
      if (this.localLocks.has(key)) return false;
      this.localLocks.set(key, token);
      return true;
    }
    return (await this.redis.set(key, token, { NX: true, PX: this.options.lockTtlMs })) === "OK";
  }

  private async unlock(scope: string, token: string): Promise<void> {
    const key = `${this.options.keyPrefix}:lock:checkout:${scope}`;
    if (!this.redis) {
      if (this.localLocks.get(key) === token) this.localLocks.delete(key);
      return;
    }
    // Delete only our own lock: it may have expired and been taken by another replica.
    await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", { keys: [key], arguments: [token] });
  }
}
