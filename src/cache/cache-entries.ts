import type Keyv from "keyv";
import type { Logger } from "pino";
import type { Decision } from "./cache-control";
import type { MemoryTier } from "./memory-tier";

/**
 * A cached upstream value with the decision made on its response (cache-control.ts): fresh
 * until `freshUntil`, served stale on failure until `staleUntil`, revalidated with `policy`.
 * Entries of one batch response share its decision; their batch is revalidated as a whole.
 */
export interface Entry<T> extends Decision {
  readonly value: T;
  /** An id of a batch whose response has a validator: kept to be revalidated with the batch. */
  readonly inBatch?: true;
}

/** An entry with a validator is kept this long past its freshness at least, to be revalidated (a 304 instead of a body). */
const KEEP_FOR_REVALIDATION_MS = 10 * 60_000;

/** Where entries live: the in-process budgets, and Redis behind them when configured. */
export interface CacheTiers {
  /** Entries that hold a value. */
  readonly entities: MemoryTier;
  /** Entries that record an absence (an id the upstream does not know), in a budget of their own. */
  readonly absent: MemoryTier;
  /** Shared by replicas; null when the BFF runs on memory alone. */
  readonly shared: Keyv | null;
  /** The shared tier's state, a flag check: while it is down it is skipped without a call. */
  readonly sharedUp?: () => boolean;
}

/** What the store of entries needs from the cache's options. */
export interface CacheEntriesOptions {
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * Where HttpCache keeps its entries, the base it is built on: in process first, in Redis behind
 * (read when the process misses, written off the request's path), each entry kept as long as it
 * may serve or be revalidated. A failure of the shared tier is logged and ignored.
 */
export abstract class CacheEntries<O extends CacheEntriesOptions = CacheEntriesOptions> {
  constructor(
    protected readonly tiers: CacheTiers,
    protected readonly options: O,
  ) {}

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.tiers.entities.delete(key);
      this.tiers.absent.delete(key);
    }
    const shared = this.sharedTier();
    if (shared) await this.guard("delete", () => shared.deleteMany([...keys]), undefined);
  }

  protected sharedTier(): Keyv | null {
    const { shared, sharedUp } = this.tiers;
    return shared && (!sharedUp || sharedUp()) ? shared : null;
  }

  /** An entry written by an older version (another shape) is never fresh: it is fetched again. */
  protected isFresh(entry: Entry<unknown>): boolean {
    return this.options.now() < entry.freshUntil;
  }

  protected async read<T>(keys: readonly string[]): Promise<Array<Entry<T> | undefined>> {
    const entries = keys.map(
      (key) => (this.tiers.entities.get(key) ?? this.tiers.absent.get(key)) as Entry<T> | undefined,
    );
    const shared = this.sharedTier();
    const missing = shared ? keys.filter((_, i) => entries[i] === undefined) : [];
    if (!shared || missing.length === 0) return entries;
    const found = await this.guard("read", () => shared.getMany<Entry<T>>(missing), []);
    let next = 0;
    return entries.map((entry, i) => {
      if (entry !== undefined) return entry;
      const remote = found[next++] ?? undefined;
      if (remote) this.remember(keys[i] as string, remote);
      return remote;
    });
  }

  /** How long an entry is worth keeping: while it may serve (fresh, then stale-if-error), or be revalidated. */
  protected retentionMs(entry: Entry<unknown>): number {
    const until = Math.max(
      entry.staleUntil,
      entry.policy || entry.inBatch ? entry.freshUntil + KEEP_FOR_REVALIDATION_MS : 0,
    );
    return until - this.options.now();
  }

  /** Keeps an entry in process for as long as it is worth keeping. */
  protected remember(key: string, entry: Entry<unknown>): void {
    (entry.value === null ? this.tiers.absent : this.tiers.entities).set(key, entry, this.retentionMs(entry));
  }

  /** Stores what the rules allowed: in process at once, in Redis off the request's path (the response does not wait for it). */
  protected write(entries: Array<[string, Entry<unknown>]>): void {
    if (entries.length === 0) return;
    for (const [key, entry] of entries) this.remember(key, entry);
    const shared = this.sharedTier();
    if (!shared) return;
    const writes = entries
      .map(([key, value]) => ({ key, value, ttl: this.retentionMs(value) }))
      .filter((w) => w.ttl > 0);
    if (writes.length > 0) void this.guard("write", () => shared.setMany(writes), undefined);
  }

  protected async guard<R>(operation: string, run: () => Promise<R>, fallback: R): Promise<R> {
    try {
      return await run();
    } catch (error) {
      this.options.logger.warn({ err: error, operation }, "shared cache failed; continuing without it");
      return fallback;
    }
  }
}
