import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const current = readFileSync(join(ROOT, "schema/schema.graphql"), "utf8");

/** Runs `npm run schema:check`'s script on the released schema and a changed copy of it. */
function check(changed: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "schema-check-"));
  writeFileSync(join(dir, "released.graphql"), current);
  writeFileSync(join(dir, "next.graphql"), changed);
  try {
    return {
      ok: true,
      output: execFileSync(
        "node",
        ["scripts/schema-check.mjs", join(dir, "released.graphql"), join(dir, "next.graphql")],
        { cwd: ROOT, encoding: "utf8" },
      ),
    };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  }
}

const replaceOnce = (text: string, from: string, to: string): string => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe("schema:check", () => {
  test("the emitted schema has no breaking change against the released one", () => {
    expect(() => execFileSync("node", ["scripts/schema-check.mjs"], { cwd: ROOT })).not.toThrow();
  });

  test("fails on a removed field, naming it", () => {
    const result = check(replaceOnce(current, "  sku: String!\n", ""));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/BREAKING\s+Field 'sku' was removed from object type 'Product'/);
  });

  test("fails on a newly required argument, naming it", () => {
    const result = check(
      replaceOnce(current, "product(id: ID!): Product", "product(id: ID!, region: String!): Product"),
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/BREAKING\s+Argument 'region: String!' added to field 'Query.product'/);
  });

  test("passes on an added optional field", () => {
    const result = check(replaceOnce(current, "  sku: String!\n", "  sku: String!\n  weightGrams: Int\n"));
    expect(result.ok).toBe(true);
    expect(result.output).toMatch(/no breaking change/);
  });
});
