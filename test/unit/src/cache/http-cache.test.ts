import Keyv from "keyv";
import type { HttpCache } from "../../../../src/cache/http-cache";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import type { UpstreamResponse } from "../../../../src/http/service-http";
import { FakeClock } from "../../../support/clock";
import { notModified, ok, testCache } from "../../../support/http-cache";

describe("HttpCache", () => {
  let clock: FakeClock;
  let cache: HttpCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = testCache(clock.now, { staleIfErrorMs: 60_000 });
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
    const resilient = testCache(clock.now, { staleIfErrorMs: 0 }, broken);
    expect(await resilient.resource("catalog", "k", async () => ok("v"))).toBe("v");
  });
});
