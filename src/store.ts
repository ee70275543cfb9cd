import { KeyvAdapter } from "@apollo/utils.keyvadapter";
import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import KeyvRedis, { createClient, type RedisClientType } from "@keyv/redis";
import Keyv from "keyv";
import type { Logger } from "pino";
import { createMemoryTiers, keyValueCacheOf, type MemoryBudgets, type MemoryTiers } from "./cache/memory-tier";

/**
 * The state the BFF keeps across requests. Always an in-process tier, bounded in bytes per kind
 * of entry (memory); with REDIS_URL also Redis behind it, shared by replicas (cache, rate
 * limits, persisted queries, checkout locks).
 */
export interface SharedStore {
  /** The in-process budgets, in front of Redis when there is one. */
  readonly memory: MemoryTiers;
  /** Redis through keyv, or null in memory-only mode. */
  readonly shared: Keyv | null;
  /** Persisted queries (APQ): Redis when configured, else the documents budget. */
  readonly documents: KeyValueCache<string>;
  /** Whole responses: Redis when configured, else the responses budget. */
  readonly responses: KeyValueCache<string>;
  /** Checkout records: Redis when configured, else in process. */
  readonly keyv: Keyv;
  /** The Redis connection behind keyv, for what needs atomic commands (locks, rate limits); null in memory. */
  readonly redis: RedisClientType | null;
  close(): Promise<void>;
}

export interface StoreOptions {
  readonly redisUrl: string | null;
  readonly namespace: string;
  readonly budgets: MemoryBudgets;
  readonly now?: () => number;
}

export async function openSharedStore(options: StoreOptions, logger: Logger): Promise<SharedStore> {
  const memory = createMemoryTiers(options.budgets, options.now);
  const { namespace } = options;
  if (!options.redisUrl) {
    return {
      memory,
      shared: null,
      documents: keyValueCacheOf(memory.documents),
      responses: keyValueCacheOf(memory.responses),
      keyv: new Keyv({ namespace }),
      redis: null,
      close: async () => undefined,
    };
  }
  const redis = createClient({
    url: options.redisUrl,
    // Fail fast while disconnected instead of queueing: the cache is an optimisation, never a reason to hang.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
  }) as RedisClientType;
  redis.on("error", (error: unknown) => logger.warn({ err: error }, "redis connection error"));
  await redis.connect();
  const keyv = new Keyv({ store: new KeyvRedis(redis, { namespace }), namespace, useKeyPrefix: false });
  keyv.on("error", (error: unknown) => logger.warn({ err: error }, "shared cache error"));
  return {
    memory,
    shared: keyv,
    documents: new KeyvAdapter(keyv),
    responses: new KeyvAdapter(keyv),
    keyv,
    redis,
    close: async () => {
      await redis.close().catch(() => undefined);
    },
  };
}
