import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildAppSchema, printAppSchema } from "../../src/build-schema";

const ROOT = join(__dirname, "../..");

describe("checked-in generated files are current", () => {
  test("schema/schema.graphql is what the code emits (run npm run schema:emit)", async () => {
    const emitted = printAppSchema(await buildAppSchema());
    expect(readFileSync(join(ROOT, "schema/schema.graphql"), "utf8")).toBe(emitted);
  });

  test("the upstream wire types match the OpenAPI specs (run npm run codegen:openapi)", () => {
    expect(() =>
      execFileSync("node", ["scripts/openapi-types.mjs", "--check"], { cwd: ROOT, stdio: "pipe" }),
    ).not.toThrow();
  });
});

describe("codegen output is current", () => {
  test("typed documents and the persisted documents manifest (run npm run codegen)", () => {
    expect(() =>
      execFileSync("npx", ["graphql-codegen", "--config", "codegen.yml", "--check"], { cwd: ROOT, stdio: "pipe" }),
    ).not.toThrow();
  }, 60_000);
});
