import { KeyvCacheableMemory } from "@cacheable/memory";
import KeyvRedis, { createClient, type RedisClientType } from "@keyv/redis";
import Keyv from "keyv";
import type { Logger } from "pino";

/**
 * The state replicas share: the upstream cache (and later rate limits, persisted queries, checkout locks).
 * In memory by default (one process, bounded); in Redis when REDIS_URL is set, so that replicas share it.
 */
export interface SharedStore {
  readonly keyv: Keyv;
  /** The Redis connection behind keyv, for what needs atomic commands (locks, rate limits); null in memory. */
  readonly redis: RedisClientType | null;
  close(): Promise<void>;
}

const IN_MEMORY_ENTRIES = 100_000;

export async function openSharedStore(redisUrl: string | null, namespace: string, logger: Logger): Promise<SharedStore> {
  if (!redisUrl) {
    // No JSON round-trip in memory: values are kept as they are, so what the cache hands out is
    // shared by concurrent requests and must never be mutated (datasource mappers build new objects).
    const keyv = new Keyv({ store: new KeyvCacheableMemory({ lruSize: IN_MEMORY_ENTRIES, useClone: false }), namespace, serialize: undefined, deserialize: undefined });
    return { keyv, redis: null, close: async () => undefined };
  }
  const redis = createClient({
    url: redisUrl,
    // Fail fast while disconnected instead of queueing: the cache is an optimisation, never a reason to hang.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
  }) as RedisClientType;
  redis.on("error", (error: unknown) => logger.warn({ err: error }, "redis connection error"));
  await redis.connect();
  const keyv = new Keyv({ store: new KeyvRedis(redis, { namespace }), namespace, useKeyPrefix: false });
  keyv.on("error", (error: unknown) => logger.warn({ err: error }, "shared cache error"));
  return {
    keyv,
    redis,
    close: async () => {
      await redis.close().catch(() => undefined);
    },
  };
}
