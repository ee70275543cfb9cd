import { resolvesWithin } from "../../../src/resolves-within";

describe("resolvesWithin", () => {
  test("true when the work resolves in time, false when it rejects", async () => {
    expect(await resolvesWithin(Promise.resolve("done"), 1_000)).toBe(true);
    expect(await resolvesWithin(Promise.reject(new Error("no")), 1_000)).toBe(false);
  });

  test("false when the work is still pending at the bound", async () => {
    expect(await resolvesWithin(new Promise(() => undefined), 5)).toBe(false);
  });
});
