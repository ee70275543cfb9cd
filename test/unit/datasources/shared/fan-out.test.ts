import { fanOut } from "../../../../datasources/shared/fan-out";

describe("fanOut", () => {
  test("keeps order, bounds concurrency, returns failures in their slot", async () => {
    let running = 0;
    let peak = 0;
    const results = await fanOut([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      if (n === 4) throw new Error("four");
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results.slice(0, 3)).toEqual([10, 20, 30]);
    expect(results[3]).toEqual(new Error("four"));
    expect(results.slice(4)).toEqual([50, 60, 70]);
  });
});
