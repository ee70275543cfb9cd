import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CookieSealer } from "../../../../src/auth/sessions/sealed-cookie";
import { FileSecret, staticSecret } from "../../../../src/secrets/secret-source";
import { FakeClock } from "../../../support/clock";

const WINDOW_MS = 60_000;
let dir: string;
let clock: FakeClock;
const sources: FileSecret[] = [];
const open = (path: string): FileSecret => {
  const source = new FileSecret(path, { rotationWindowMs: WINDOW_MS, pollMs: 20, now: clock.now });
  sources.push(source);
  return source;
};
const changed = (source: FileSecret): Promise<string> =>
  new Promise((resolve) => {
    const off = source.onChange((v) => {
      off();
      resolve(v);
    });
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "bff-secret-"));
  clock = new FakeClock();
});
afterEach(() => {
  sources.splice(0).forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

describe("FileSecret", () => {
  test("a rewritten file is picked up by the background poller: current first, the previous one during the window, then not", async () => {
    const path = join(dir, "secret");
    writeFileSync(path, "old-secret\n");
    const source = open(path);
    expect(source.current()).toBe("old-secret");
    expect(source.values()).toEqual(["old-secret"]);
    const next = changed(source);
    // As Kubernetes updates a mounted secret: a new file swapped in atomically.
    writeFileSync(join(dir, "secret.new"), "new-secret\n");
    renameSync(join(dir, "secret.new"), path);
    expect(await next).toBe("new-secret");
    expect(source.current()).toBe("new-secret");
    expect(source.values()).toEqual(["new-secret", "old-secret"]);
    clock.advance(WINDOW_MS - 1);
    expect(source.values()).toEqual(["new-secret", "old-secret"]);
    clock.advance(1);
    expect(source.values()).toEqual(["new-secret"]);
  });

  test("values() allocates nothing between changes; an emptied or removed file keeps the last good value", () => {
    const path = join(dir, "secret");
    writeFileSync(path, "kept");
    const errors: string[] = [];
    const source = new FileSecret(path, {
      rotationWindowMs: WINDOW_MS,
      pollMs: 20,
      now: clock.now,
      onError: (e) => errors.push(e.message),
    });
    sources.push(source);
    expect(source.values()).toBe(source.values());
    writeFileSync(path, "  \n");
    source.reload();
    rmSync(path);
    source.reload();
    expect(source.current()).toBe("kept");
    expect(errors).toEqual([expect.stringContaining("is empty"), expect.stringContaining("ENOENT")]);
  });

  test("a file that is not there at start is an error, not an empty secret", () => {
    expect(() => open(join(dir, "missing"))).toThrow(/ENOENT/);
  });
});

describe("CookieSealer", () => {
  test("a sealed payload opens with the same secret, not with another, not once expired, not when tampered", async () => {
    const sealer = new CookieSealer(staticSecret("a".repeat(32)), "session-cookie", clock.now);
    const sealed = await sealer.seal({ sub: "u-0001" }, clock.now() + 60_000);
    expect(await sealer.open(sealed)).toMatchObject({ sub: "u-0001" });
    expect(await new CookieSealer(staticSecret("b".repeat(32)), "session-cookie", clock.now).open(sealed)).toBeNull();
    expect(await new CookieSealer(staticSecret("a".repeat(32)), "another-purpose", clock.now).open(sealed)).toBeNull();
    expect(await sealer.open(`${sealed.slice(0, -4)}AAAA`)).toBeNull();
    clock.advance(60_000);
    expect(await sealer.open(sealed)).toBeNull();
  });

  test("a rotated session secret: cookies sealed with the previous one open during the window, new ones use the new secret", async () => {
    const path = join(dir, "session-secret");
    writeFileSync(path, "first-session-secret-32-characters!");
    const secret = open(path);
    const sealer = new CookieSealer(secret, "session-cookie", clock.now);
    const before = await sealer.seal({ sub: "u-0001" }, clock.now() + 3_600_000);
    writeFileSync(path, "second-session-secret-32-characters");
    secret.reload();
    expect(await sealer.open(before)).toMatchObject({ sub: "u-0001" });
    const after = await sealer.seal({ sub: "u-0002" }, clock.now() + 3_600_000);
    expect(
      await new CookieSealer(staticSecret("second-session-secret-32-characters"), "session-cookie", clock.now).open(
        after,
      ),
    ).toMatchObject({ sub: "u-0002" });
    clock.advance(WINDOW_MS);
    expect(await sealer.open(before)).toBeNull();
    expect(await sealer.open(after)).toMatchObject({ sub: "u-0002" });
  });
});
