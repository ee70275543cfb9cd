import Keyv from "keyv";
import pino from "pino";
import { HttpCache, type CacheTiers } from "../../../src/cache/http-cache";
import { MemoryTier } from "../../../src/cache/memory-tier";
import { UpstreamError } from "../../../src/errors/upstream-error";
import type { UpstreamResponse } from "../../../src/http/service-http";
import { FakeClock } from "../../support/clock";

/** In-process tiers on the test's clock, with `shared` behind them (a Keyv, standing in for Redis). */
const tiers = (now: () => number, shared: Keyv | null = null): CacheTiers =>
  ({ entities: new MemoryTier("entities", 2 ** 20, now), absent: new MemoryTier("absent", 2 ** 20, now), shared });

const ok = <T>(data: T, cacheControl = "public, max-age=60", etag?: string): UpstreamResponse<T> => ({ status: 200, data, cacheControl, etag });

describe("HttpCache", () => {
  let clock: FakeClock;
  let cache: HttpCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = new HttpCache(tiers(clock.now), { now: clock.now, logger: pino({ level: "silent" }), staleIfErrorMs: 60_000 });
  });

  test("a fresh entry is served without a fetch; a stale one is revalidated with its ETag", async () => {
    const fetch = jest.fn(async (etag?: string) => (etag === 'W/"1"' ? { status: 304, data: undefined, cacheControl: "public, max-age=60", etag } : ok("v1", undefined, 'W/"1"')));
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1");
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1");
    expect(fetch).toHaveBeenCalledTimes(1);
    clock.advance(60_001);
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1");
    expect(fetch).toHaveBeenLastCalledWith('W/"1"');
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1"); // the 304 made it fresh again
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test.each(["no-store", "private, max-age=60", undefined])("Cache-Control %s is never stored", async (cacheControl) => {
    const fetch = jest.fn(async () => ({ status: 200, data: "v", cacheControl, etag: undefined }));
    await cache.resource("orders", "k", fetch);
    await cache.resource("orders", "k", fetch);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("a batch fetches only missing ids, keeps the caller's order and caches absences", async () => {
    const fetch = jest.fn(async (ids: readonly string[]) => ok(new Map(ids.filter((id) => id !== "x").map((id) => [id, id.toUpperCase()]))));
    const keys = (ids: string[]) => ids.map((id) => `svc:thing:v1:${id}`);
    expect(await cache.batch("svc", keys(["a", "b"]), ["a", "b"], fetch)).toEqual(["A", "B"]);
    expect(await cache.batch("svc", keys(["c", "a", "x"]), ["c", "a", "x"], fetch)).toEqual(["C", "A", null]);
    expect(fetch.mock.calls.map(([ids]) => ids)).toEqual([["a", "b"], ["c", "x"]]);
    expect(await cache.batch("svc", keys(["x"]), ["x"], fetch)).toEqual([null]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("stale-if-error: a transient failure is answered from a stale entry within the bound, and reported", async () => {
    const stale = jest.fn();
    await cache.resource("reviews", "k", async () => ok("old"));
    clock.advance(60_000 + 30_000);
    const down = async (): Promise<UpstreamResponse<string>> => { throw new UpstreamError("reviews", "status", 503); };
    expect(await cache.resource("reviews", "k", down, stale)).toBe("old");
    expect(stale).toHaveBeenCalledWith("reviews", "k", 30_000);
    clock.advance(60_000); // now 90 s past max-age: beyond the 60 s bound
    await expect(cache.resource("reviews", "k", down)).rejects.toThrow(UpstreamError);
  });

  test("a non-transient failure (404) is never hidden behind a stale entry", async () => {
    await cache.resource("accounts", "k", async () => ok("old"));
    clock.advance(61_000);
    await expect(cache.resource("accounts", "k", async () => { throw new UpstreamError("accounts", "status", 404); })).rejects.toThrow("404");
  });

  test("a failing store is ignored: the upstream still answers", async () => {
    const broken = new Keyv();
    broken.getMany = async () => { throw new Error("store down"); };
    broken.setMany = async () => { throw new Error("store down"); };
    const resilient = new HttpCache(tiers(clock.now, broken), { now: clock.now, logger: pino({ level: "silent" }), staleIfErrorMs: 0 });
    expect(await resilient.resource("catalog", "k", async () => ok("v"))).toBe("v");
  });
});

describe("HttpCache single flight", () => {
  const deferred = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
  const setup = () => {
    const lookups: string[] = [];
    const clock = new FakeClock();
    const cache = new HttpCache(tiers(clock.now), { now: clock.now, logger: pino({ level: "silent" }), staleIfErrorMs: 60_000, onLookup: (_s, result) => lookups.push(result) });
    return { cache, lookups };
  };
  /** Lets pending promise callbacks run (no timers). */
  const settle = async () => { for (let i = 0; i < 10; i++) await Promise.resolve(); };

  test("concurrent misses of one key make one upstream call", async () => {
    const { cache, lookups } = setup();
    const upstream = deferred<UpstreamResponse<string>>();
    const fetch = jest.fn(() => upstream.promise);
    const first = cache.resource("catalog", "k", fetch);
    await settle();
    const second = cache.resource("catalog", "k", fetch);
    await settle();
    upstream.resolve(ok("v"));
    expect(await Promise.all([first, second])).toEqual(["v", "v"]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(lookups).toEqual(["coalesced", "miss"]); // the waiter joined before the one refresh answered
  });

  test("a response that is not shareable is never handed to another request", async () => {
    const { cache } = setup();
    const upstream = deferred<UpstreamResponse<string>>();
    const fetch = jest.fn((): Promise<UpstreamResponse<string>> => (fetch.mock.calls.length === 1 ? upstream.promise : Promise.resolve(ok("theirs", "private, max-age=60"))));
    const first = cache.resource("accounts", "k", fetch);
    await settle();
    const second = cache.resource("accounts", "k", fetch);
    await settle();
    upstream.resolve(ok("mine", "private, max-age=60"));
    expect(await Promise.all([first, second])).toEqual(["mine", "theirs"]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("when the shared refresh fails, a waiter tries for itself", async () => {
    const { cache } = setup();
    const upstream = deferred<UpstreamResponse<string>>();
    const fetch = jest.fn((): Promise<UpstreamResponse<string>> => (fetch.mock.calls.length === 1 ? upstream.promise : Promise.resolve(ok("second try"))));
    const first = cache.resource("catalog", "k", fetch);
    await settle();
    const second = cache.resource("catalog", "k", fetch);
    await settle();
    upstream.reject(new UpstreamError("catalog", "timeout"));
    await expect(first).rejects.toThrow(UpstreamError);
    expect(await second).toBe("second try");
  });
});
