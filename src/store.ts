import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import type { RedisClientType } from "@keyv/redis";
import type * as KeyvRedisModule from "@keyv/redis";
import Keyv from "keyv";
import type { Logger } from "pino";
import { createMemoryTiers, keyValueCacheOf, type MemoryBudgets, type MemoryTiers } from "./cache/memory-tier";
import { TieredCache } from "./cache/tiered-cache";
import { StoreUnavailableError } from "./store-errors";
import type { StoreObserver } from "./store-health";
import { StoreLink } from "./store-link";

/**
 * The state the BFF keeps across requests. Always an in-process tier, bounded in bytes per kind
 * of entry (memory); with REDIS_URL also Redis behind it, shared by replicas (cache, rate
 * limits, persisted queries, invalidation events). Checkout keeps its journal elsewhere
 * (SQLite or PostgreSQL: checkout/journal/).
 */
export interface SharedStore {
  /** The in-process budgets, in front of Redis when there is one. */
  readonly memory: MemoryTiers;
  /** Redis through keyv, or null in memory-only mode. */
  readonly shared: Keyv | null;
  /** Persisted queries (APQ): the documents budget, then Redis when configured and up. */
  readonly documents: KeyValueCache<string>;
  /**
   * Apollo's whole-response cache, shared by replicas: Redis only, when configured and up (each
   * replica holds the answers it serves in its edge cache, `memory.edge`); null in memory-only mode.
   */
  readonly responses: KeyValueCache<string> | null;
  /**
   * The Redis connection behind keyv, for what needs atomic commands (rate limits, pub/sub); null in
   * memory. Guarded by `link`: while the store is not up every command fails at once.
   */
  readonly redis: RedisClientType | null;
  /** The store's state and call guard; null in memory-only mode (always available). */
  readonly link: StoreLink | null;
  close(): Promise<void>;
}

export interface StoreOptions {
  readonly redisUrl: string | null;
  readonly namespace: string;
  readonly budgets: MemoryBudgets;
  readonly now?: () => number;
  /** Bound of one Redis call, and the longest pause between reconnection attempts and probes. */
  readonly timeoutMs: number;
  readonly retryMs: number;
  readonly observer?: StoreObserver;
}

/** How long start waits for Redis before serving without it. */
const START_WAIT_MS = 1_000;

/**
 * Opens the store without waiting for Redis (beyond START_WAIT_MS): the BFF starts and serves (degraded) while Redis is
 * down, refusing or frozen, and the link connects in the background and reconnects by itself.
 */
export async function openSharedStore(options: StoreOptions, logger: Logger): Promise<SharedStore> {
  const memory = createMemoryTiers(options.budgets, options.now);
  const { namespace } = options;
  if (!options.redisUrl) {
    return {
      memory,
      shared: null,
      documents: keyValueCacheOf(memory.documents),
      responses: null,
      redis: null,
      link: null,
      close: async () => undefined,
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy: the Redis client loads only with REDIS_URL
  const { default: KeyvRedis, createClient } = require("@keyv/redis") as typeof KeyvRedisModule;
  const raw = createClient({
    url: options.redisUrl,
    // Commands are refused while disconnected instead of queued (StoreLink also refuses MULTI, which this does not cover).
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.max(1_000, options.timeoutMs),
      reconnectStrategy: (retries: number) => Math.min(25 * 2 ** retries, options.retryMs),
    },
  }) as RedisClientType;
  const link = new StoreLink(
    raw,
    {
      timeoutMs: options.timeoutMs,
      probeIntervalMs: options.retryMs,
      confirmMs: Math.max(500, 10 * options.timeoutMs),
    },
    logger,
    options.observer,
  );
  const keyv = new Keyv({ store: new KeyvRedis(link.client, { namespace }), namespace, useKeyPrefix: false });
  keyv.on("error", (error: unknown) => {
    // Store outages are reported by the link, once per change of state; anything else is news.
    // (keyv also relays the client's connection errors, which the link has seen first).
    if (link.available && !(error instanceof StoreUnavailableError)) logger.warn({ err: error }, "shared cache error");
  });
  link.start();
  if (!(await link.whenUp(START_WAIT_MS))) link.reportSlowStart(START_WAIT_MS);
  const up = () => link.available;
  return {
    memory,
    shared: keyv,
    documents: new TieredCache(memory.documents, keyv, up),
    responses: new TieredCache(null, keyv, up),
    redis: link.client,
    link,
    close: () => link.close(),
  };
}
