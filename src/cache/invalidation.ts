import type { RedisClientType } from "@keyv/redis";
import type { Logger } from "pino";
import { resolvesWithin } from "../resolves-within";
import type { SharedStore } from "../store";
import type { EdgeAnswer } from "./edge-answer";
import type { MemoryTier } from "./memory-tier";

/** What one upstream change makes stale. */
export interface Invalidation {
  /** Exact cache keys (`service:resource:v1:id`): the entities themselves. */
  readonly keys: readonly string[];
  /** Key prefixes of list pages (`catalog:products:v1:`): a page is dropped when it holds one of `ids`. */
  readonly lists: readonly string[];
  /** The changed entities' ids: every list page and whole response holding one is dropped. */
  readonly ids: readonly string[];
}

/** Prefix of Apollo's whole-response cache entries (the response cache plugin's). */
const RESPONSES = "fqc:";

/**
 * Drops what an upstream change made stale, on every replica: in Redis once (the replica that
 * received the webhook), and in every replica's in-process tiers through Redis pub/sub (each
 * replica, the sender included, drops its own copies when the message arrives; without Redis
 * there is one process and it drops at once). Whole responses and list pages are matched by
 * content: an entry is dropped when it holds one of the ids (responses are tagged by what
 * they contain, not by a separate index that could drift).
 */
export class CacheInvalidator {
  private subscriber: RedisClientType | null = null;
  private readonly channel: string;
  /** Invalidations applied in this process (tests wait on it instead of sleeping). */
  applied = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: SharedStore,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${namespace}:invalidate`;
  }

  /** Subscribes to the other replicas' invalidations (with Redis). */
  async start(): Promise<void> {
    if (!this.store.redis) return;
    const subscriber = this.store.redis.duplicate() as RedisClientType;
    // The store link logs the store going down and up, once per change: the subscriber does not repeat it.
    subscriber.on("error", (error: unknown) => this.logger.debug({ err: error }, "invalidation subscriber error"));
    this.subscriber = subscriber;
    // Waits at most 1 s (as the store does): a store that is down at start is not a reason to refuse
    // to start; the client keeps reconnecting and subscribes once it is connected.
    const ready = subscriber
      .connect()
      .then(() =>
        subscriber.subscribe(this.channel, (message) => {
          try {
            this.dropLocal(JSON.parse(message) as Invalidation);
          } catch (error) {
            this.logger.warn({ err: error }, "ignored a malformed invalidation message");
          }
        }),
      )
      .catch((error: unknown) => this.logger.debug({ err: error }, "invalidation subscriber not connected"));
    await resolvesWithin(ready, 1_000);
  }

  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (!subscriber) return;
    if (subscriber.isReady) await subscriber.close().catch(() => undefined);
    else subscriber.destroy(); // still connecting: stop its reconnection attempts
  }

  /** Drops `change` everywhere: Redis, then every replica's process (this one included). */
  async invalidate(change: Invalidation): Promise<void> {
    const redis = this.store.redis;
    if (!redis) {
      this.dropLocal(change);
      return;
    }
    await this.dropShared(redis, change);
    await redis.publish(this.channel, JSON.stringify(change));
  }

  /** Resolves once `count` invalidations have been applied in this process. */
  whenApplied(count: number): Promise<void> {
    if (this.applied >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.applied < count) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  private dropLocal(change: Invalidation): void {
    const { entities, absent, edge } = this.store.memory;
    for (const key of change.keys) {
      entities.delete(key);
      absent.delete(key);
    }
    if (change.ids.length > 0) {
      dropHolding(entities, change.ids, (key) => change.lists.some((prefix) => key.startsWith(prefix)));
      dropHolding(edge, change.ids, () => true);
    }
    this.applied += 1;
    for (const listener of [...this.listeners]) listener();
  }

  private async dropShared(redis: RedisClientType, change: Invalidation): Promise<void> {
    const prefix = `${this.namespace}::`;
    const doomed = change.keys.map((key) => prefix + key);
    if (change.ids.length > 0) {
      for (const pattern of [...change.lists, RESPONSES].map((p) => `${prefix}${p}*`)) {
        let cursor = "0";
        do {
          const page = await redis.scan(cursor, { MATCH: pattern, COUNT: 500 });
          cursor = String(page.cursor);
          if (page.keys.length === 0) continue;
          const values = await redis.mGet(page.keys);
          page.keys.forEach((key, i) => {
            const value = values[i];
            if (typeof value === "string" && holds(value, change.ids)) doomed.push(key);
          });
        } while (cursor !== "0");
      }
    }
    if (doomed.length > 0) await redis.del(doomed);
  }
}

/** True when the JSON holds one of the ids as a string value (also inside a JSON string, as Keyv stores responses). */
const holds = (json: string, ids: readonly string[]): boolean =>
  ids.some((id) => json.includes(JSON.stringify(id)) || json.includes(JSON.stringify(JSON.stringify(id)).slice(1, -1)));

function dropHolding<V>(tier: MemoryTier<V>, ids: readonly string[], candidate: (key: string) => boolean): void {
  for (const key of tier.keys()) {
    if (!candidate(key)) continue;
    const value = tier.peek(key);
    if (value !== undefined && holds(textOf(value), ids)) tier.delete(key);
  }
}

/** The JSON an entry holds: a string as it is, an edge answer's body, anything else serialised. */
const textOf = (value: unknown): string =>
  typeof value === "string" ? value : isEdgeAnswer(value) ? value.body : JSON.stringify(value);

const isEdgeAnswer = (value: unknown): value is EdgeAnswer =>
  typeof value === "object" && value !== null && typeof (value as EdgeAnswer).body === "string" && "madeAt" in value;
