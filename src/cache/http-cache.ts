import { UpstreamError } from "../errors/upstream-error";
import type { UpstreamResponse } from "../http/service-http";
import { CacheEntries, type CacheEntriesOptions, type CacheTiers, type Entry } from "./cache-entries";
import { CacheRules, type Decision } from "./cache-control";
import type { BatchFetch, LookupResult, StaleListener, Validators } from "./cache-lookup";

export interface HttpCacheOptions extends CacheEntriesOptions {
  /** How long past its freshness an entry may be served when its upstream fails, unless the upstream says otherwise. */
  readonly staleIfErrorMs: number;
  /** Told of every lookup: fresh, miss (fetched), revalidated (304), stale_served, or coalesced (waited for another request's refresh). */
  readonly onLookup?: (service: string, result: LookupResult, count: number) => void;
}

/** What one refresh of a resource produced, for the requests that waited on it. */
interface Refreshed<T> {
  readonly value: T;
  /** Only a response the upstream marked shareable may answer another request. */
  readonly shareable: boolean;
}

/**
 * The shared cache of upstream GET responses, across requests and (with Redis) replicas.
 * Only viewer-independent data goes in; whether and how long a response is kept, and how it is
 * revalidated, follows RFC 9111 as http-cache-semantics decides it (cache-control.ts). Reads look in process first (a fresh
 * entry is answered synchronously by `fresh`), then in Redis; writes go to both, Redis off
 * the request's path (cache-entries.ts). A cache failure is logged and ignored.
 */
export class HttpCache extends CacheEntries<HttpCacheOptions> {
  /** Refreshes under way in this process, by key: concurrent misses of one key make one upstream call. */
  private readonly refreshing = new Map<string, Promise<Refreshed<unknown>>>();
  private readonly rules: CacheRules;

  constructor(tiers: CacheTiers, options: HttpCacheOptions) {
    super(tiers, options);
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
}
