import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { SERVICE_NAMES } from "../../src/services";

const ROOT = join(__dirname, "../..");
/** The team's shared folder, beside the repository on our machines; a lone clone has none. */
const SHARED = join(ROOT, "../shared");

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
const tree = (dir: string): string[] =>
  filesUnder(dir)
    .map((path) => relative(dir, path))
    .sort();

describe("the vendored contract (contract/, tools/check-contract.mjs)", () => {
  test("is complete: the schema, every client operation, every upstream spec", () => {
    const files = tree(join(ROOT, "contract"));
    expect(files).toEqual(
      expect.arrayContaining([
        "README.md",
        "schema-core.graphql",
        "operations/mobile/ProductDetail.graphql",
        "upstream/catalog.openapi.yaml",
      ]),
    );
    expect(files.filter((f) => f.startsWith("operations/"))).toHaveLength(9);
    expect(files.filter((f) => f.startsWith("upstream/"))).toHaveLength(SERVICE_NAMES.length); // one per line of services.json
  });

  test("operations/ holds every contract operation, unchanged", () => {
    const contract = join(ROOT, "contract/operations");
    for (const file of tree(contract)) {
      expect(readFileSync(join(ROOT, "operations", file), "utf8")).toBe(readFileSync(join(contract, file), "utf8"));
    }
  });

  const withShared = existsSync(join(SHARED, "contract")) ? test : test.skip;
  withShared("equals ../shared/contract file for file (copy it again when the contract changes)", () => {
    const vendored = join(ROOT, "contract");
    const upstream = join(SHARED, "contract");
    expect(tree(vendored)).toEqual(tree(upstream));
    for (const file of tree(upstream)) {
      expect(`${file}: ${readFileSync(join(vendored, file), "utf8")}`).toBe(
        `${file}: ${readFileSync(join(upstream, file), "utf8")}`,
      );
    }
  });

  withShared("tools/check-contract.mjs equals ../shared/tools/check-contract.mjs", () => {
    expect(readFileSync(join(ROOT, "tools/check-contract.mjs"), "utf8")).toBe(
      readFileSync(join(SHARED, "tools/check-contract.mjs"), "utf8"),
    );
  });
});
