// The bench's /proc readers, for real, against a child process. No timing assertions: speed is the
// bench's business.
import { spawn, type ChildProcess } from "node:child_process";
import { cpuMs, memory, resetPeakRss } from "../../bench/proc";

describe("the bench's /proc readers", () => {
  let child: ChildProcess;
  afterEach(() => child?.kill("SIGKILL"));

  it("reads a child's CPU time and memory from outside, and resets its peak RSS", async () => {
    // Spins for a fixed amount of its own CPU time, allocates 64 MiB, says so; frees it when told
    // (a large Buffer is its own mapping: freed, it leaves RSS at once), says so, then idles.
    const script = `const s=process.cpuUsage();while((process.cpuUsage(s).user+process.cpuUsage(s).system)<300000){}
      globalThis.keep=Buffer.alloc(64*1024*1024,1);process.stdout.write("done\\n");
      process.stdin.once("data",()=>{globalThis.keep=null;gc();process.stdout.write("freed\\n");});setInterval(()=>{},1000);`;
    child = spawn(process.execPath, ["--expose-gc", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
    const pid = child.pid as number;
    const said = (word: string) =>
      new Promise<void>((resolve) => {
        let text = "";
        const listen = (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes(word)) {
            child.stdout?.off("data", listen);
            resolve();
          }
        };
        child.stdout?.on("data", listen);
      });
    const before = cpuMs(pid);
    await said("done");
    expect(cpuMs(pid) - before).toBeGreaterThanOrEqual(200); // 300 ms of CPU, read in 10 ms ticks

    const grown = memory(pid);
    expect(grown.rssBytes).toBeGreaterThan(64 * 2 ** 20);
    expect(grown.peakRssBytes).toBeGreaterThanOrEqual(grown.rssBytes);
    const freed = said("freed");
    child.stdin?.write("free\n");
    await freed;
    // The 64 MiB are gone from RSS but still in the peak, until the reset.
    // (The kernel's high-water mark is kept loosely, to within a few pages.)
    expect(memory(pid).peakRssBytes).toBeGreaterThan(grown.peakRssBytes - 2 ** 20);
    expect(resetPeakRss(pid)).toBe(true);
    const reset = memory(pid);
    expect(reset.peakRssBytes).toBeGreaterThanOrEqual(reset.rssBytes);
    expect(reset.peakRssBytes).toBeLessThan(grown.peakRssBytes - 32 * 2 ** 20);
  });

  it("refuses a process that does not exist", () => {
    expect(() => cpuMs(2 ** 22 + 1)).toThrow();
  });
});
