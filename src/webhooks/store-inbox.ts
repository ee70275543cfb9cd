import type { RedisClientType } from "@keyv/redis";
import type { WebhookInbox } from "./receiver";

/** A webhook-id is remembered this long: longer than the 5 minutes a timestamp is accepted for. */
const REMEMBER_MS = 10 * 60_000;

/**
 * Message ids seen, shared by replicas through Redis (SET NX with a TTL), or in process without
 * it: a replayed `webhook-id` is claimed once, whichever replica it reaches.
 */
export class StoreInbox implements WebhookInbox {
  private readonly seen = new Map<string, number>();

  constructor(private readonly redis: RedisClientType | null, private readonly namespace: string) {}

  async claimMessage(service: string, id: string, now: number): Promise<boolean> {
    const key = `${this.namespace}:webhook:${service}:${id}`;
    if (this.redis) return (await this.redis.set(key, String(now), { NX: true, PX: REMEMBER_MS })) === "OK";
    for (const [seenKey, at] of this.seen) if (now - at > REMEMBER_MS) this.seen.delete(seenKey);
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }

  async forgetMessage(service: string, id: string): Promise<void> {
    const key = `${this.namespace}:webhook:${service}:${id}`;
    if (this.redis) await this.redis.del(key);
    else this.seen.delete(key);
  }
}
