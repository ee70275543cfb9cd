// Upstream answers and cache tiers for HttpCache's unit tests.
import type Keyv from "keyv";
import pino from "pino";
import type { CacheTiers } from "../../src/cache/cache-entries";
import type { CacheHeaders } from "../../src/cache/cache-control";
import { HttpCache, type HttpCacheOptions } from "../../src/cache/http-cache";
import { MemoryTier } from "../../src/cache/memory-tier";
import type { UpstreamResponse } from "../../src/http/service-http";
/** In-process tiers on the test's clock, with `shared` behind them (a Keyv, standing in for Redis). */
export const tiers = (now: () => number, shared: Keyv | null = null): CacheTiers => ({
  entities: new MemoryTier("entities", 2 ** 20, now),
  absent: new MemoryTier("absent", 2 ** 20, now),
  shared,
});

/** An HttpCache over `tiers` on the test's clock, logging nowhere. */
export const testCache = (
  now: () => number,
  options: Pick<HttpCacheOptions, "staleIfErrorMs" | "onLookup">,
  shared: Keyv | null = null,
): HttpCache => new HttpCache(tiers(now, shared), { now, logger: pino({ level: "silent" }), ...options });

/** A 200 with `cacheControl` (null: no Cache-Control at all). */
export const ok = <T>(
  data: T,
  cacheControl: string | null = "public, max-age=60",
  etag?: string,
  more: CacheHeaders = {},
): UpstreamResponse<T> => ({
  status: 200,
  data,
  headers: { ...(cacheControl ? { "cache-control": cacheControl } : {}), ...(etag ? { etag } : {}), ...more },
});
export const notModified = (headers: CacheHeaders = {}): UpstreamResponse<never> => ({
  status: 304,
  data: undefined,
  headers,
});
