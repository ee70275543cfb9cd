import { fanOut, fanOutWidth, IDLE_FAN_OUT, perIdLoader } from "../../../../datasources/shared/fan-out";

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

describe("fanOutWidth", () => {
  test("an idle service (fewer calls in flight than the setting) gets the whole batch, up to IDLE_FAN_OUT", () => {
    expect(fanOutWidth(0, 8, 20)).toBe(20);
    expect(fanOutWidth(7, 8, 20)).toBe(20);
    expect(fanOutWidth(0, 8, 100)).toBe(IDLE_FAN_OUT);
    expect(fanOutWidth(0, 8, 3)).toBe(8); // never below the setting (fanOut runs at most the batch anyway)
  });

  test("a busy service gets the setting per batch", () => {
    expect(fanOutWidth(8, 8, 20)).toBe(8);
    expect(fanOutWidth(200, 8, 20)).toBe(8);
    expect(fanOutWidth(40, 64, 100)).toBe(64); // a setting above IDLE_FAN_OUT is kept
  });

  test("a per-id loader asks for the width of each batch and fans out that wide", async () => {
    const widths: number[] = [];
    let running = 0;
    let peak = 0;
    const loader = perIdLoader(
      (count) => {
        widths.push(count);
        return 2;
      },
      async (id) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running -= 1;
        return id.toUpperCase();
      },
    );
    expect(await Promise.all(["a", "b", "c", "a", "d"].map((id) => loader.load(id)))).toEqual([
      "A",
      "B",
      "C",
      "A",
      "D",
    ]);
    expect(widths).toEqual([4]); // one batch of the four distinct ids
    expect(peak).toBe(2);
  });
});
