import { UpstreamError } from "../../../../src/errors/upstream-error";
import type { UpstreamResponse } from "../../../../src/http/service-http";
import { FakeClock } from "../../../support/clock";
import { ok, testCache } from "../../../support/http-cache";

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
    const cache = testCache(clock.now, { staleIfErrorMs: 60_000, onLookup: (_s, result) => lookups.push(result) });
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
