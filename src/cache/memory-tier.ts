import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import { LRUCache } from "lru-cache";
import { edgeAnswerBytes, type EdgeAnswer } from "./edge-answer";

interface Slot<V> {
  readonly value: V;
  /** By the tier's clock; past it the slot is gone. */
  readonly expiresAt: number;
}

/** What /metrics reports of one tier. */
export interface TierStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly hits: number;
  readonly misses: number;
}

/** Bytes a value takes, roughly: its JSON length (UTF-16 in memory) plus per-entry overhead. */
export function approximateBytes(key: string, value: unknown): number {
  const json = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return 2 * (key.length + json.length) + 96;
}

/**
 * One budget of the in-process cache: an LRU bounded in bytes, not entries, so that a few large
 * values and many small ones are held to the same memory. When a set would go past the budget,
 * the least recently used entries go first. Entries also expire by the injected clock (tests
 * move it). Reads are synchronous: a hit is a value, not a promise.
 */
export class MemoryTier<V = unknown> {
  private readonly lru: LRUCache<string, Slot<V>>;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly name: string,
    readonly maxBytes: number,
    private readonly now: () => number = Date.now,
    bytesOf: (key: string, value: V) => number = approximateBytes,
  ) {
    this.lru = new LRUCache<string, Slot<V>>({
      maxSize: Math.max(1, maxBytes), // a budget of 0 keeps nothing (lru-cache refuses a maxSize of 0)
      sizeCalculation: (slot, key) => bytesOf(key, slot.value), // an entry over the whole budget is not kept
    });
  }

  get(key: string): V | undefined {
    const slot = this.lru.get(key);
    if (slot === undefined) {
      this.misses += 1;
      return undefined;
    }
    if (slot.expiresAt <= this.now()) {
      this.lru.delete(key);
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return slot.value;
  }

  /** Keeps `value` for `ttlMs` (by the tier's clock), within the budget. */
  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.lru.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** The value without counting a lookup or refreshing its recency (for invalidation scans). */
  peek(key: string): V | undefined {
    return this.lru.peek(key)?.value;
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  /** The keys, most recently used first (for tests and invalidation by prefix). */
  keys(): string[] {
    return [...this.lru.keys()];
  }

  stats(): TierStats {
    return {
      entries: this.lru.size,
      bytes: this.lru.calculatedSize,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
    };
  }
}

/** The in-process budgets (CACHE_*_MB): each kind of entry is held to its own, so none can evict another. */
export interface MemoryBudgets {
  /** Upstream entities and pages that exist. */
  readonly entities: number;
  /** Ids an upstream said do not exist: a scan of unknown ids churns only this budget. */
  readonly absent: number;
  /** Whole GraphQL answers to anonymous callers: the edge cache's (src/http/edge-cache.ts). */
  readonly responses: number;
  /** Persisted queries (APQ) registered by clients. */
  readonly documents: number;
}

export interface MemoryTiers {
  readonly entities: MemoryTier;
  readonly absent: MemoryTier;
  readonly edge: MemoryTier<EdgeAnswer>;
  readonly documents: MemoryTier<string>;
}

export function createMemoryTiers(budgets: MemoryBudgets, now: () => number = Date.now): MemoryTiers {
  return {
    entities: new MemoryTier("entities", budgets.entities, now),
    absent: new MemoryTier("absent", budgets.absent, now),
    edge: new MemoryTier<EdgeAnswer>("edge", budgets.responses, now, edgeAnswerBytes),
    documents: new MemoryTier<string>("documents", budgets.documents, now),
  };
}

/**
 * A tier as Apollo's KeyValueCache (APQ and the response cache take one): strings kept as they
 * are, no serialisation layer in between. Apollo's ttl is in seconds; none means a day.
 */
export function keyValueCacheOf(tier: MemoryTier<string>): KeyValueCache<string> {
  const DAY_SECONDS = 24 * 3_600;
  return {
    get: async (key) => tier.get(key),
    set: async (key, value, options) => tier.set(key, value, (options?.ttl ?? DAY_SECONDS) * 1000),
    delete: async (key) => tier.delete(key),
  };
}
