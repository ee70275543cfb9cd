import { parseCacheControl } from "../../../src/cache/cache-control";

describe("parseCacheControl", () => {
  test.each([
    ["public, max-age=60", { shareable: true, maxAgeMs: 60_000 }],
    ["max-age=5", { shareable: true, maxAgeMs: 5_000 }],
    ["public, max-age=60, s-maxage=10", { shareable: true, maxAgeMs: 10_000 }],
    ["no-store", { shareable: false, maxAgeMs: 0 }],
    ["private, max-age=300", { shareable: false, maxAgeMs: 0 }],
    ["public, no-cache, max-age=60", { shareable: false, maxAgeMs: 0 }],
    ["public", { shareable: false, maxAgeMs: 0 }],
    ["max-age=0", { shareable: false, maxAgeMs: 0 }],
    [undefined, { shareable: false, maxAgeMs: 0 }],
  ])("%s", (header, expected) => {
    expect(parseCacheControl(header)).toEqual(expected);
  });
});
