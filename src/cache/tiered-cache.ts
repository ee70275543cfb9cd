import type Keyv from "keyv";
import type { MemoryTier } from "./memory-tier";

const DAY_MS = 24 * 3_600_000;

/**
 * Apollo's KeyValueCache (persisted queries, whole responses) over two tiers: the in-process
 * budget first (none for whole responses: the edge cache holds them in process), then the
 * shared store when there is one and it is up (`sharedUp` is a flag check, so a down store costs nothing). Writes go to memory at once and to the store off the
 * request's path. Without the store a replica still answers from what it holds itself, and
 * APQ follows its protocol: a hash it does not hold is PERSISTED_QUERY_NOT_FOUND and the client
 * sends the document again.
 */
export class TieredCache {
  constructor(
    private readonly memory: MemoryTier<string> | null,
    private readonly shared: Keyv | null,
    private readonly sharedUp: () => boolean,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const hit = this.memory?.get(key);
    if (hit !== undefined) return hit;
    if (!this.shared || !this.sharedUp()) return undefined;
    const raw = await this.shared.getRaw<string>(key).catch(() => undefined);
    if (!raw || raw.value === undefined || raw.value === null) return undefined;
    this.memory?.set(key, raw.value, raw.expires ? raw.expires - Date.now() : DAY_MS);
    return raw.value;
  }

  /** Apollo passes `ttl` in seconds (null or none: kept for a day). */
  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttlMs = options?.ttl ? options.ttl * 1000 : DAY_MS;
    this.memory?.set(key, value, ttlMs);
    if (this.shared && this.sharedUp()) void this.shared.set(key, value, ttlMs).catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    this.memory?.delete(key);
    if (this.shared && this.sharedUp()) void this.shared.delete(key).catch(() => undefined);
    return true;
  }
}
