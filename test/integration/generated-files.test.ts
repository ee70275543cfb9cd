import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildAppSchema, printAppSchema } from "../../src/build-schema";

const ROOT = join(__dirname, "../..");

describe("checked-in generated files are current", () => {
  test("schema/schema.graphql is what the code emits (run npm run schema:emit)", async () => {
    const emitted = printAppSchema(await buildAppSchema());
    expect(readFileSync(join(ROOT, "schema/schema.graphql"), "utf8")).toBe(emitted);
  });

  test("the upstream wire types match the OpenAPI specs (run npm run codegen:openapi)", () => {
    expect(() => execFileSync("node", ["scripts/openapi-types.mjs", "--check"], { cwd: ROOT, stdio: "pipe" })).not.toThrow();
  });

  test("operations/ holds every contract operation, unchanged", () => {
    const contract = join(ROOT, "../shared/contract/operations");
    const files = ["mobile", "web"].flatMap((client) => readdirSync(join(contract, client)).map((f) => `${client}/${f}`));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      expect(readFileSync(join(ROOT, "operations", file), "utf8")).toBe(readFileSync(join(contract, file), "utf8"));
    }
  });
});

describe("codegen output is current", () => {
  test("typed documents and the persisted documents manifest (run npm run codegen)", () => {
    expect(() => execFileSync("npx", ["graphql-codegen", "--config", "codegen.yml", "--check"], { cwd: ROOT, stdio: "pipe" })).not.toThrow();
  }, 60_000);
});
