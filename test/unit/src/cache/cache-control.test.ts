import { CacheRules, type CacheHeaders } from "../../../../src/cache/cache-control";
import { FakeClock } from "../../../support/clock";

/** Each rule of a shared cache, from the headers an upstream sends (decisions by http-cache-semantics). */
describe("CacheRules", () => {
  const clock = new FakeClock();
  const now = clock.now();
  const rules = new CacheRules(clock.now, 600_000); // STALE_IF_ERROR_SECONDS=600
  const date = new Date(now).toUTCString();
  const at = (ms: number) => new Date(now + ms).toUTCString();
  const decide = (headers: CacheHeaders, status = 200) => rules.decide("catalog:thing:v1:1", status, headers);
  const windows = (headers: CacheHeaders) => {
    const decision = decide(headers);
    return (
      decision && {
        freshMs: decision.freshUntil - now,
        staleMs: decision.staleUntil - decision.freshUntil,
        revalidates: decision.policy !== undefined,
      }
    );
  };

  test.each<[string, CacheHeaders, ReturnType<typeof windows>]>([
    [
      "max-age: fresh that long, then stale-if-error by default",
      { "cache-control": "public, max-age=60" },
      { freshMs: 60_000, staleMs: 600_000, revalidates: false },
    ],
    [
      "Age counts against max-age",
      { "cache-control": "public, max-age=60", age: "45" },
      { freshMs: 15_000, staleMs: 600_000, revalidates: false },
    ],
    [
      "an Age beyond max-age leaves it stale at once (kept to revalidate)",
      { "cache-control": "max-age=60", age: "90", etag: '"a"' },
      { freshMs: 0, staleMs: 600_000, revalidates: true },
    ],
    [
      "Expires against the response's Date",
      { expires: at(30_000), date },
      { freshMs: 30_000, staleMs: 600_000, revalidates: false },
    ],
    [
      "Expires and Age together",
      { expires: at(30_000), date, age: "10" },
      { freshMs: 20_000, staleMs: 600_000, revalidates: false },
    ],
    [
      "max-age wins over Expires",
      { "cache-control": "max-age=5", expires: at(30_000), date },
      { freshMs: 5_000, staleMs: 600_000, revalidates: false },
    ],
    [
      "s-maxage wins over max-age in a shared cache, and forbids stale",
      { "cache-control": "public, max-age=60, s-maxage=10" },
      { freshMs: 10_000, staleMs: 0, revalidates: false },
    ],
    [
      "no-cache: stored, revalidated on every use, never served stale",
      { "cache-control": "no-cache", etag: '"v1"' },
      { freshMs: 0, staleMs: 0, revalidates: true },
    ],
    [
      "Pragma: no-cache without Cache-Control is no-cache",
      { pragma: "no-cache", etag: '"v1"', expires: at(60_000), date },
      { freshMs: 0, staleMs: 0, revalidates: true },
    ],
    [
      "must-revalidate: fresh for max-age, never stale",
      { "cache-control": "max-age=60, must-revalidate" },
      { freshMs: 60_000, staleMs: 0, revalidates: false },
    ],
    [
      "proxy-revalidate: the same for a shared cache",
      { "cache-control": "public, max-age=60, proxy-revalidate", etag: '"v"' },
      { freshMs: 0, staleMs: 0, revalidates: true },
    ],
    [
      "stale-if-error from the upstream replaces the default",
      { "cache-control": "max-age=60, stale-if-error=30" },
      { freshMs: 60_000, staleMs: 30_000, revalidates: false },
    ],
    [
      "no freshness given, but a validator: revalidated every time (no heuristic)",
      { etag: '"v1"', "last-modified": at(-86_400_000) },
      { freshMs: 0, staleMs: 600_000, revalidates: true },
    ],
    [
      "Vary on what every request sends alike is fine",
      { "cache-control": "max-age=60", vary: "Accept-Encoding" },
      { freshMs: 60_000, staleMs: 600_000, revalidates: false },
    ],
  ])("%s", (_rule, headers, expected) => {
    expect(windows(headers)).toEqual(expected);
  });

  test.each<[string, CacheHeaders, number?]>([
    ["no-store", { "cache-control": "no-store, max-age=60" }],
    ["private (a shared cache never stores it)", { "cache-control": "private, max-age=300", etag: '"x"' }],
    ["private last", { "cache-control": "max-age=300, PRIVATE", etag: '"x"' }],
    ["private naming fields", { "cache-control": 'private="set-cookie", max-age=300', etag: '"x"' }],
    ["no freshness and no validator", {}],
    ["no-cache without a validator", { "cache-control": "no-cache" }],
    ["an Expires already past (or invalid) and no validator", { expires: "0", date }],
    ["Vary on a header that differs per caller", { "cache-control": "max-age=60", vary: "X-User-Id" }],
    ["Vary: *", { "cache-control": "max-age=60", vary: "*", etag: '"x"' }],
    ["a status that is not cacheable", { "cache-control": "max-age=60" }, 503],
  ])("never stored: %s", (_rule, headers, status = 200) => {
    expect(decide(headers, status)).toBeNull();
  });

  test.each(["x-private, max-age=60", "no-storey, max-age=60"])(
    "a directive that only contains private or no-store is not one: %s is stored",
    (cacheControl) => {
      expect(decide({ "cache-control": cacheControl })).not.toBeNull();
    },
  );

  test("validators: If-None-Match from the ETag, If-Modified-Since from Last-Modified", () => {
    const both = decide({
      "cache-control": "max-age=60",
      etag: 'W/"v1"',
      "last-modified": "Mon, 02 Nov 2026 10:00:00 GMT",
    });
    expect(rules.validators(both?.policy as NonNullable<typeof both>["policy"] & object)).toEqual({
      "if-none-match": 'W/"v1"',
      "if-modified-since": "Mon, 02 Nov 2026 10:00:00 GMT",
    });
  });

  test("a 304 updates the stored headers: its Cache-Control, Date and Age decide the new freshness", () => {
    const stored = decide({ "cache-control": "max-age=60", etag: '"v1"', date });
    clock.advance(100_000);
    const later = clock.now();
    const policy = stored?.policy as NonNullable<NonNullable<typeof stored>["policy"]>;
    expect(rules.revalidated(policy, { "cache-control": "max-age=120", etag: '"v1"' })).toMatchObject({
      freshUntil: later + 120_000,
      staleUntil: later + 720_000,
    });
    expect(rules.revalidated(policy, { etag: '"v1"', age: "20" })).toMatchObject({ freshUntil: later + 40_000 }); // max-age kept from the stored response
    expect(rules.revalidated(policy, { "cache-control": "no-store" })).toBeNull();
  });
});
