// The bench's /proc readers, for real, against a child process. No timing assertions: speed is the
// bench's business.
import { spawn, type ChildProcess } from "node:child_process";
import { cpuMs, memory, resetPeakRss } from "../../bench/proc";

describe("the bench's /proc readers", () => {
  let child: ChildProcess;
  afterEach(() => child?.kill("SIGKILL"));

  it("reads a child's CPU time and memory from outside, and resets its peak RSS", async () => {
    // Spins for a fixed amount of its own CPU time, allocates 64 MiB, says so, then idles.
    const script = `const s=process.cpuUsage();while((process.cpuUsage(s).user+process.cpuUsage(s).system)<300000){}
      globalThis.keep=Buffer.alloc(64*1024*1024,1);process.stdout.write("done\\n");setInterval(()=>{},1000);`;
    child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = child.pid as number;
    const before = cpuMs(pid);
    await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
    expect(cpuMs(pid) - before).toBeGreaterThanOrEqual(200); // 300 ms of CPU, read in 10 ms ticks

    const grown = memory(pid);
    expect(grown.rssBytes).toBeGreaterThan(64 * 2 ** 20);
    expect(grown.peakRssBytes).toBeGreaterThanOrEqual(grown.rssBytes);
    expect(resetPeakRss(pid)).toBe(true);
    const reset = memory(pid);
    expect(reset.peakRssBytes).toBeGreaterThanOrEqual(reset.rssBytes);
    expect(reset.peakRssBytes).toBeLessThanOrEqual(grown.peakRssBytes);
  });

  it("refuses a process that does not exist", () => {
    expect(() => cpuMs(2 ** 22 + 1)).toThrow();
  });
});
