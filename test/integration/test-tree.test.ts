import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { filesUnder, sourceTwin } from "../support/test-tree";

const ROOT = join(__dirname, "../..");

describe("the unit test tree mirrors the source tree", () => {
  test("every file under test/unit/ is a test with a source twin (test/unit/<path>.test.ts tests <path>.ts)", () => {
    const orphans = filesUnder(ROOT, "test/unit").filter((path) => sourceTwin(ROOT, path) === null);
    expect(orphans).toEqual([]); // move each next to its twin's path, or into test/support/ if it is a helper
  });

  describe("sourceTwin", () => {
    const root = mkdtempSync(join(tmpdir(), "bff-tree-"));
    const touch = (path: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), "");
    };
    beforeAll(() =>
      ["src/cache/cache-control.ts", "src/config.ts", "resolvers/shared/money.resolver.ts"].forEach(touch),
    );
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    test.each([
      ["test/unit/src/cache/cache-control.test.ts", "src/cache/cache-control.ts"],
      ["test/unit/resolvers/shared/money.resolver.test.ts", "resolvers/shared/money.resolver.ts"],
      ["test/unit/src/config.tracing.test.ts", "src/config.ts"], // an aspect of one source
      ["test/unit/src/cache-control.test.ts", null], // flat, not mirrored
      ["test/unit/src/cache/cache-control.ts", null], // not a test
      ["test/unit/src/cache/gone.test.ts", null], // its source was moved or deleted
      ["test/unit/src/config.tracing.extra.test.ts", null], // one aspect at most
    ])("%s -> %s", (path, twin) => {
      expect(sourceTwin(root, path)).toBe(twin);
    });
  });
});
