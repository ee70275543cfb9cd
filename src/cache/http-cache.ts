import type Keyv from "keyv";
import type { Logger } from "pino";
import type { MemoryTier } from "./memory-tier";
import { UpstreamError } from "../errors/upstream-error";
import type { UpstreamResponse } from "../http/service-http";
import { CacheRules, type Decision } from "./cache-control";

/**
 * A cached upstream value with the decision made on its response (cache-control.ts): fresh
 * until `freshUntil`, served stale on failure until `staleUntil`, revalidated with `policy`.
 * Entries of one batch response share its decision; their batch is revalidated as a whole.
 */
interface Entry<T> extends Decision {
  readonly value: T;
  /** An id of a batch whose response has a validator: kept to be revalidated with the batch. */
  readonly inBatch?: true;
}

/** An entry with a validator is kept this long past its freshness at least, to be revalidated (a 304 instead of a body). */
const KEEP_FOR_REVALIDATION_MS = 10 * 60_000;

export interface HttpCacheOptions {
  readonly now: () => number;
  readonly logger: Logger;
  /** How long past its freshness an entry may be served when its upstream fails, unless the upstream says otherwise. */
  readonly staleIfErrorMs: number;
  /** Told of every lookup: fresh, miss (fetched), revalidated (304), stale_served, or coalesced (waited for another request's refresh). */
  readonly onLookup?: (service: string, result: LookupResult, count: number) => void;
}

export type LookupResult = "fresh" | "miss" | "revalidated" | "stale_served" | "coalesced";

/** What one refresh of a resource produced, for the requests that waited on it. */
interface Refreshed<T> {
  readonly value: T;
  /** Only a response the upstream marked shareable may answer another request. */
  readonly shareable: boolean;
}

/**
 * Called when a stale value was served because its upstream failed (the response says so).
 * An explained request's listener also has `lookup`: told of the lookups that made no upstream call.
 */
export interface StaleListener {
  (service: string, key: string, ageMs: number): void;
  readonly lookup?: (service: string, result: LookupResult, count: number) => void;
}

/** Request headers that revalidate a stored response (If-None-Match, If-Modified-Since); undefined on a plain fetch. */
export type Validators = Readonly<Record<string, string>> | undefined;

/** A batch response already keyed by id; ids the upstream left out are absent. */
export type BatchFetch<T> = (
  ids: readonly string[],
  validators: Validators,
) => Promise<UpstreamResponse<Map<string, T>>>;

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

/**
 * The shared cache of upstream GET responses, across requests and (with Redis) replicas.
 * Only viewer-independent data goes in; whether and how long a response is kept, and how it is
 * revalidated, follows RFC 9111 as http-cache-semantics decides it (cache-control.ts). Reads look in process first (a fresh
 * entry is answered synchronously by `fresh`), then in Redis; writes go to both, Redis off
 * the request's path. A cache failure is logged and ignored.
 */
export class HttpCache {
  /** Refreshes under way in this process, by key: concurrent misses of one key make one upstream call. */
  private readonly refreshing = new Map<string, Promise<Refreshed<unknown>>>();
  private readonly rules: CacheRules;

  constructor(
    private readonly tiers: CacheTiers,
    private readonly options: HttpCacheOptions,
  ) {
    this.rules = new CacheRules(options.now, options.staleIfErrorMs);
  }

  /**
   * The value at `key` when this process holds it fresh, synchronously; undefined otherwise
   * (then ask `resource` or `batch`). Null is a cached absence.
   */
  fresh<T>(service: string, key: string): T | null | undefined {
    const entry = (this.tiers.entities.get(key) ?? this.tiers.absent.get(key)) as Entry<T | null> | undefined;
    if (entry === undefined || !this.isFresh(entry)) return undefined;
    this.count(service, "fresh", 1);
    return entry.value;
  }

  /**
   * One resource at `key`: fresh from the cache, revalidated when stale, fetched when missing.
   * Requests that miss while another refresh of the key is under way wait for it instead of
   * calling the upstream too; they do their own call only if that one failed or was not shareable.
   */
  async resource<T>(
    service: string,
    key: string,
    fetch: (validators: Validators) => Promise<UpstreamResponse<T>>,
    onStale?: StaleListener,
  ): Promise<T> {
    const [entry] = await this.read<T>([key]);
    if (entry && this.isFresh(entry)) {
      this.count(service, "fresh", 1, onStale);
      return entry.value;
    }
    const pending = this.refreshing.get(key) as Promise<Refreshed<T>> | undefined;
    if (pending) {
      this.count(service, "coalesced", 1, onStale); // waits for another request's refresh
      const joined = await pending.catch(() => undefined);
      if (joined?.shareable) return joined.value;
    }
    const own = this.refresh(service, key, entry, fetch, onStale);
    if (!pending) {
      this.refreshing.set(key, own);
      void own.catch(() => undefined).finally(() => this.refreshing.delete(key));
    }
    return (await own).value;
  }

  private async refresh<T>(
    service: string,
    key: string,
    entry: Entry<T> | undefined,
    fetch: (validators: Validators) => Promise<UpstreamResponse<T>>,
    onStale?: StaleListener,
  ): Promise<Refreshed<T>> {
    let res: UpstreamResponse<T>;
    try {
      res = await fetch(entry?.policy && this.rules.validators(entry.policy));
    } catch (error) {
      // A stale answer is this request's to report (extensions.stale): others try for themselves.
      return { value: this.staleOr(error, service, key, entry, onStale), shareable: false };
    }
    if (res.status === 304 && entry?.policy) {
      this.count(service, "revalidated", 1);
      const decision = this.rules.revalidated(entry.policy, res.headers);
      if (decision) this.write([[key, { ...decision, value: entry.value }]]);
      else void this.delete([key]); // the upstream no longer lets it be stored
      return { value: entry.value, shareable: decision !== null };
    }
    this.count(service, "miss", 1);
    const value = res.data as T;
    const decision = this.rules.decide(key, res.status, res.headers);
    if (decision) this.write([[key, { ...decision, value }]]);
    return { value, shareable: decision !== null };
  }

  /**
   * Many entities of one batch endpoint, each under its own key: a partly cached batch
   * fetches only the missing and stale ids. When exactly the same stale set was fetched
   * before, the batch is revalidated with that response's ETag (a 304 refreshes them all).
   * Ids the upstream leaves out resolve to null, and that absence is cached too.
   */
  async batch<T>(
    service: string,
    keys: readonly string[],
    ids: readonly string[],
    fetch: BatchFetch<T>,
    onStale?: StaleListener,
  ): Promise<Array<T | null>> {
    const entries = await this.read<T | null>(keys);
    const values: Array<T | null> = new Array(ids.length).fill(null);
    const needed: number[] = [];
    entries.forEach((entry, i) => {
      if (entry && this.isFresh(entry)) values[i] = entry.value;
      else needed.push(i);
    });
    this.count(service, "fresh", ids.length - needed.length, onStale);
    if (needed.length === 0) return values;

    const neededIds = needed.map((i) => ids[i] as string);
    const validatorKey = `${keys[0]?.split(":").slice(0, 2).join(":")}:batch-etag:${[...neededIds].sort().join(",")}`;
    const allStale = needed.every((i) => entries[i] !== undefined);
    const [validator] = allStale ? await this.read<true>([validatorKey]) : [undefined];
    let res: UpstreamResponse<Map<string, T>>;
    try {
      res = await fetch(neededIds, validator?.policy && this.rules.validators(validator.policy));
    } catch (error) {
      for (const i of needed) values[i] = this.staleOr(error, service, keys[i] as string, entries[i], onStale);
      return values;
    }
    const revalidated = res.status === 304 && validator?.policy !== undefined;
    this.count(service, revalidated ? "revalidated" : "miss", needed.length);
    const decision = revalidated
      ? this.rules.revalidated(validator.policy as NonNullable<Decision["policy"]>, res.headers)
      : this.rules.decide(validatorKey, res.status, res.headers);
    const updates: Array<[string, Entry<unknown>]> = [];
    // The ids' entries share the batch's freshness; the batch's validator is kept once, under its own key.
    const shared = decision && {
      freshUntil: decision.freshUntil,
      staleUntil: decision.staleUntil,
      ...(decision.policy ? { inBatch: true as const } : {}),
    };
    for (const i of needed) {
      const value = revalidated ? (entries[i]?.value ?? null) : (res.data?.get(ids[i] as string) ?? null);
      values[i] = value;
      if (shared) updates.push([keys[i] as string, { ...shared, value }]);
    }
    if (decision?.policy) updates.push([validatorKey, { ...decision, value: true }]); // not null: an absence would count in the absent budget
    this.write(updates);
    return values;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.tiers.entities.delete(key);
      this.tiers.absent.delete(key);
    }
    const shared = this.sharedTier();
    if (shared) await this.guard("delete", () => shared.deleteMany([...keys]), undefined);
  }

  private sharedTier(): Keyv | null {
    const { shared, sharedUp } = this.tiers;
    return shared && (!sharedUp || sharedUp()) ? shared : null;
  }

  /** An entry written by an older version (another shape) is never fresh: it is fetched again. */
  private isFresh(entry: Entry<unknown>): boolean {
    return this.options.now() < entry.freshUntil;
  }

  /** A transient upstream failure may be answered from a stale entry, while its stale-if-error allowance lasts. */
  private staleOr<T>(
    error: unknown,
    service: string,
    key: string,
    entry: Entry<T> | undefined,
    onStale?: StaleListener,
  ): T {
    const transient = error instanceof UpstreamError && error.transient;
    const now = this.options.now();
    if (!entry || !transient || !(now < entry.staleUntil)) throw error;
    const ageMs = now - entry.freshUntil;
    onStale?.(service, key, ageMs);
    this.count(service, "stale_served", 1, onStale);
    return entry.value;
  }

  /** Metrics; and, for an explained request, its listener (fresh, coalesced and stale: the lookups no call reports). */
  private count(service: string, result: LookupResult, n: number, listener?: StaleListener): void {
    if (n === 0) return;
    this.options.onLookup?.(service, result, n);
    if (listener?.lookup) listener.lookup(service, result, n);
  }

  private async read<T>(keys: readonly string[]): Promise<Array<Entry<T> | undefined>> {
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
  private retentionMs(entry: Entry<unknown>): number {
    const until = Math.max(
      entry.staleUntil,
      entry.policy || entry.inBatch ? entry.freshUntil + KEEP_FOR_REVALIDATION_MS : 0,
    );
    return until - this.options.now();
  }

  /** Keeps an entry in process for as long as it is worth keeping. */
  private remember(key: string, entry: Entry<unknown>): void {
    (entry.value === null ? this.tiers.absent : this.tiers.entities).set(key, entry, this.retentionMs(entry));
  }

  /** Stores what the rules allowed: in process at once, in Redis off the request's path (the response does not wait for it). */
  private write(entries: Array<[string, Entry<unknown>]>): void {
    if (entries.length === 0) return;
    for (const [key, entry] of entries) this.remember(key, entry);
    const shared = this.sharedTier();
    if (!shared) return;
    const writes = entries
      .map(([key, value]) => ({ key, value, ttl: this.retentionMs(value) }))
      .filter((w) => w.ttl > 0);
    if (writes.length > 0) void this.guard("write", () => shared.setMany(writes), undefined);
  }

  private async guard<R>(operation: string, run: () => Promise<R>, fallback: R): Promise<R> {
    try {
      return await run();
    } catch (error) {
      this.options.logger.warn({ err: error, operation }, "shared cache failed; continuing without it");
      return fallback;
    }
  }
}
