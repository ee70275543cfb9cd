import Keyv from "keyv";
import pino from "pino";
import type { CacheTiers } from "../../../../src/cache/cache-entries";
import { HttpCache } from "../../../../src/cache/http-cache";
import type { CacheHeaders } from "../../../../src/cache/cache-control";
import { MemoryTier } from "../../../../src/cache/memory-tier";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import type { UpstreamResponse } from "../../../../src/http/service-http";
import { FakeClock } from "../../../support/clock";

/** In-process tiers on the test's clock, with `shared` behind them (a Keyv, standing in for Redis). */
const tiers = (now: () => number, shared: Keyv | null = null): CacheTiers => ({
  entities: new MemoryTier("entities", 2 ** 20, now),
  absent: new MemoryTier("absent", 2 ** 20, now),
  shared,
});

/** A 200 with `cacheControl` (null: no Cache-Control at all). */
const ok = <T>(
  data: T,
  cacheControl: string | null = "public, max-age=60",
  etag?: string,
  more: CacheHeaders = {},
): UpstreamResponse<T> => ({
  status: 200,
  data,
  headers: { ...(cacheControl ? { "cache-control": cacheControl } : {}), ...(etag ? { etag } : {}), ...more },
});
const notModified = (headers: CacheHeaders = {}): UpstreamResponse<never> => ({
  status: 304,
  data: undefined,
  headers,
});

describe("HttpCache", () => {
  let clock: FakeClock;
  let cache: HttpCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = new HttpCache(tiers(clock.now), {
      now: clock.now,
      logger: pino({ level: "silent" }),
      staleIfErrorMs: 60_000,
    });
  });

  test("a fresh entry is served without a fetch; a stale one is revalidated with its ETag", async () => {
    const fetch = jest.fn(async (validators?: Record<string, string>): Promise<UpstreamResponse<string>> =>
      validators?.["if-none-match"] === 'W/"1"'
        ? notModified({ "cache-control": "public, max-age=60", etag: 'W/"1"' })
        : ok("v1", "public, max-age=60", 'W/"1"'),
    );
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1");
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1");
    expect(fetch).toHaveBeenCalledTimes(1);
    clock.advance(60_001);
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1");
    expect(fetch).toHaveBeenLastCalledWith({ "if-none-match": 'W/"1"' });
    expect(await cache.resource("catalog", "k", fetch)).toBe("v1"); // the 304 made it fresh again
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test.each(["no-store", "private, max-age=60", null])("Cache-Control %s is never stored", async (cacheControl) => {
    const fetch = jest.fn(async () => ok("v", cacheControl));
    await cache.resource("orders", "k", fetch);
    await cache.resource("orders", "k", fetch);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("a batch fetches only missing ids, keeps the caller's order and caches absences", async () => {
    const fetch = jest.fn(async (ids: readonly string[]) =>
      ok(new Map(ids.filter((id) => id !== "x").map((id) => [id, id.toUpperCase()]))),
    );
    const keys = (ids: string[]) => ids.map((id) => `svc:thing:v1:${id}`);
    expect(await cache.batch("svc", keys(["a", "b"]), ["a", "b"], fetch)).toEqual(["A", "B"]);
    expect(await cache.batch("svc", keys(["c", "a", "x"]), ["c", "a", "x"], fetch)).toEqual(["C", "A", null]);
    expect(fetch.mock.calls.map(([ids]) => ids)).toEqual([
      ["a", "b"],
      ["c", "x"],
    ]);
    expect(await cache.batch("svc", keys(["x"]), ["x"], fetch)).toEqual([null]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("stale-if-error: a transient failure is answered from a stale entry within the bound, and reported", async () => {
    const stale = jest.fn();
    await cache.resource("reviews", "k", async () => ok("old"));
    clock.advance(60_000 + 30_000);
    const down = async (): Promise<UpstreamResponse<string>> => {
      throw new UpstreamError("reviews", "status", 503);
    };
    expect(await cache.resource("reviews", "k", down, stale)).toBe("old");
    expect(stale).toHaveBeenCalledWith("reviews", "k", 30_000);
    clock.advance(60_000); // now 90 s past max-age: beyond the 60 s bound
    await expect(cache.resource("reviews", "k", down)).rejects.toThrow(UpstreamError);
  });

  test("a non-transient failure (404) is never hidden behind a stale entry", async () => {
    await cache.resource("accounts", "k", async () => ok("old"));
    clock.advance(61_000);
    await expect(
      cache.resource("accounts", "k", async () => {
        throw new UpstreamError("accounts", "status", 404);
      }),
    ).rejects.toThrow("404");
  });

  test("a failing store is ignored: the upstream still answers", async () => {
    const broken = new Keyv();
    broken.getMany = async () => {
      throw new Error("store down");
    };
    broken.setMany = async () => {
      throw new Error("store down");
    };
    const resilient = new HttpCache(tiers(clock.now, broken), {
      now: clock.now,
      logger: pino({ level: "silent" }),
      staleIfErrorMs: 0,
    });
    expect(await resilient.resource("catalog", "k", async () => ok("v"))).toBe("v");
  });
});

describe("HttpCache obeys the upstream's directives", () => {
  let clock: FakeClock;
  let cache: HttpCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = new HttpCache(tiers(clock.now), {
      now: clock.now,
      logger: pino({ level: "silent" }),
      staleIfErrorMs: 600_000,
    });
  });
  const down = async (): Promise<UpstreamResponse<string>> => {
    throw new UpstreamError("catalog", "status", 503);
  };

  test("no-cache: stored, and revalidated before every use; a 304 answers from the store", async () => {
    const fetch = jest.fn(async (validators?: Record<string, string>) =>
      validators ? notModified({ etag: '"v1"' }) : ok("v1", "no-cache", '"v1"'),
    );
    for (let i = 0; i < 3; i++) expect(await cache.resource("catalog", "k", fetch)).toBe("v1");
    expect(fetch.mock.calls).toEqual([[undefined], [{ "if-none-match": '"v1"' }], [{ "if-none-match": '"v1"' }]]);
    await expect(cache.resource("catalog", "k", down)).rejects.toThrow("503"); // and never served stale
  });

  test("must-revalidate: fresh for max-age, then never served stale when the upstream fails", async () => {
    await cache.resource("catalog", "k", async () => ok("v", "max-age=60, must-revalidate"));
    clock.advance(59_000);
    expect(await cache.resource("catalog", "k", down)).toBe("v"); // fresh: no call at all
    clock.advance(2_000);
    await expect(cache.resource("catalog", "k", down)).rejects.toThrow("503");
  });

  test("stale-if-error from the upstream bounds how long a stale value may answer", async () => {
    await cache.resource("catalog", "k", async () => ok("v", "max-age=60, stale-if-error=30"));
    clock.advance(60_000 + 29_999);
    expect(await cache.resource("catalog", "k", down)).toBe("v");
    clock.advance(1);
    await expect(cache.resource("catalog", "k", down)).rejects.toThrow("503");
  });

  test("Age and Expires set the time to live", async () => {
    const aged = jest.fn(async () => ok("v", "public, max-age=60", undefined, { age: "50" }));
    await cache.resource("catalog", "aged", aged);
    clock.advance(9_000);
    await cache.resource("catalog", "aged", aged);
    expect(aged).toHaveBeenCalledTimes(1);
    clock.advance(1_000);
    await cache.resource("catalog", "aged", aged);
    expect(aged).toHaveBeenCalledTimes(2);

    const date = new Date(clock.now()).toUTCString();
    const expiring = jest.fn(async () =>
      ok("v", null, undefined, { date, expires: new Date(clock.now() + 20_000).toUTCString() }),
    );
    await cache.resource("catalog", "expiring", expiring);
    clock.advance(19_000);
    await cache.resource("catalog", "expiring", expiring);
    expect(expiring).toHaveBeenCalledTimes(1);
  });

  test("Last-Modified alone: revalidated with If-Modified-Since, no heuristic freshness", async () => {
    const modified = "Mon, 02 Nov 2026 10:00:00 GMT";
    const fetch = jest.fn(async (validators?: Record<string, string>) =>
      validators ? notModified() : ok("v", null, undefined, { "last-modified": modified }),
    );
    await cache.resource("catalog", "k", fetch);
    expect(await cache.resource("catalog", "k", fetch)).toBe("v");
    expect(fetch).toHaveBeenLastCalledWith({ "if-modified-since": modified });
  });

  test("a batch: its ids share the response's freshness, and a stale batch is revalidated as a whole", async () => {
    const keys = ["svc:thing:v1:a", "svc:thing:v1:b"];
    const fetch = jest.fn(
      async (
        ids: readonly string[],
        validators?: Record<string, string>,
      ): Promise<UpstreamResponse<Map<string, string>>> =>
        validators
          ? { ...notModified({ "cache-control": "max-age=10" }) }
          : ok(new Map(ids.map((id) => [id, id.toUpperCase()])), "max-age=5, must-revalidate", '"batch-1"'),
    );
    expect(await cache.batch("svc", keys, ["a", "b"], fetch)).toEqual(["A", "B"]);
    clock.advance(5_000);
    expect(await cache.batch("svc", keys, ["a", "b"], fetch)).toEqual(["A", "B"]);
    expect(fetch).toHaveBeenLastCalledWith(["a", "b"], { "if-none-match": '"batch-1"' });
    clock.advance(9_000); // the 304 said max-age=10
    expect(await cache.batch("svc", keys, ["a", "b"], fetch)).toEqual(["A", "B"]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

describe("HttpCache single flight", () => {
  const deferred = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  const setup = () => {
    const lookups: string[] = [];
    const clock = new FakeClock();
    const cache = new HttpCache(tiers(clock.now), {
      now: clock.now,
      logger: pino({ level: "silent" }),
      staleIfErrorMs: 60_000,
      onLookup: (_s, result) => lookups.push(result),
    });
    return { cache, lookups };
  };
  /** Lets pending promise callbacks run (no timers). */
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };

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
    const fetch = jest.fn((): Promise<UpstreamResponse<string>> =>
      fetch.mock.calls.length === 1 ? upstream.promise : Promise.resolve(ok("theirs", "private, max-age=60")),
    );
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
    const fetch = jest.fn((): Promise<UpstreamResponse<string>> =>
      fetch.mock.calls.length === 1 ? upstream.promise : Promise.resolve(ok("second try")),
    );
    const first = cache.resource("catalog", "k", fetch);
    await settle();
    const second = cache.resource("catalog", "k", fetch);
    await settle();
    upstream.reject(new UpstreamError("catalog", "timeout"));
    await expect(first).rejects.toThrow(UpstreamError);
    expect(await second).toBe("second try");
  });
});
