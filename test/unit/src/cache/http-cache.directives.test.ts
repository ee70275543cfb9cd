import type { HttpCache } from "../../../../src/cache/http-cache";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import type { UpstreamResponse } from "../../../../src/http/service-http";
import { FakeClock } from "../../../support/clock";
import { notModified, ok, testCache } from "../../../support/http-cache";

describe("HttpCache obeys the upstream's directives", () => {
  let clock: FakeClock;
  let cache: HttpCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = testCache(clock.now, { staleIfErrorMs: 600_000 });
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
