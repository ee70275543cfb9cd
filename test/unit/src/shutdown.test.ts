import { EventEmitter } from "node:events";
import pino from "pino";
import { exitAfterDrain } from "../../../src/shutdown";

const silent = pino({ level: "silent" });

describe("exitAfterDrain", () => {
  test("SIGTERM drains once, however often it comes, then exits 0", async () => {
    const signals = new EventEmitter();
    let drains = 0;
    const exited = new Promise<number>((resolve) =>
      exitAfterDrain(
        signals,
        async () => {
          drains += 1;
        },
        async () => undefined,
        resolve,
        silent,
      ),
    );
    signals.emit("SIGTERM");
    signals.emit("SIGTERM");
    signals.emit("SIGINT");
    expect(await exited).toBe(0);
    expect(drains).toBe(1);
  });

  test("a drain that fails exits 1", async () => {
    const signals = new EventEmitter();
    const exited = new Promise<number>((resolve) =>
      exitAfterDrain(
        signals,
        () => Promise.reject(new Error("stuck")),
        async () => undefined,
        resolve,
        silent,
      ),
    );
    signals.emit("SIGINT");
    expect(await exited).toBe(1);
  });
});
