// Every list of services that is not generated must agree with the one list (services.json).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadServices, openapiJobs } from "../../../scripts/services/list.cjs";
import { generate } from "../../../scripts/services/generate.cjs";

const ROOT = join(__dirname, "../../..");
const services = loadServices();
const names = services.map((s) => s.name);
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
/** The rows of the markdown table under `heading` in the contract README. */
const tableRows = (heading: string): string[][] => {
  const section = read("contract/README.md").split(/^## /m).find((s) => s.startsWith(heading)) ?? "";
  const rows = section.split("\n").filter((l) => /^\| [a-z]/.test(l)).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
  return rows.slice(1); // the first is the header
};

/**
 * Lines that name at least four services as string literals, or the same variable of at least four
 * services (`CATALOG_URL`, `INVENTORY_URL`, ...): a hand-kept list.
 */
export function handKeptLists(text: string, serviceNames: readonly string[]): number[] {
  return text.split("\n").flatMap((line, i) => {
    const quoted = serviceNames.filter((n) => new RegExp(`["'\`]${n}["'\`]`).test(line));
    const bySuffix = new Map<string, number>();
    for (const n of serviceNames) {
      const suffixes = new Set([...line.matchAll(new RegExp(`\\b${n.toUpperCase()}_([A-Z_]+)`, "g"))].map((m) => m[1]));
      suffixes.forEach((suffix) => bySuffix.set(suffix as string, (bySuffix.get(suffix as string) ?? 0) + 1));
    }
    return quoted.length >= 4 || [...bySuffix.values()].some((count) => count >= 4) ? [i + 1] : [];
  });
}

describe("the one list and the lists derived from it", () => {
  test("every generated file and region is up to date (npm run codegen:services)", () => {
    expect(generate(ROOT, { check: true }).stale).toEqual([]);
  });

  test("the contract's OpenAPI specs are exactly one per service (the codegen inputs)", () => {
    const specs = readdirSync(join(ROOT, "contract/upstream")).sort();
    expect(specs).toEqual(openapiJobs(services).map((j) => j.spec.replace("contract/upstream/", "")).sort());
  });

  test("the contract README's services and demo ports are the list's", () => {
    expect(tableRows("Upstream services").map(([name, port]) => ({ name, port: Number(port) }))).toEqual(services.map(({ name, port }) => ({ name, port })));
  });

  test("the services that send webhooks in the contract are those with `webhooks` in the list", () => {
    const senders = [...new Set(tableRows("Webhooks").map(([service]) => service))];
    expect(senders).toEqual(services.filter((s) => s.webhooks).map((s) => s.name));
  });

  test("each service has its own folders, and no folder lacks a line", () => {
    expect(readdirSync(join(ROOT, "datasources")).filter((f) => f !== "shared" && !f.endsWith(".ts")).sort()).toEqual([...names].sort());
    const demos = readdirSync(join(ROOT, "upstreams/services")).filter((f) => f !== "index.ts").map((f) => f.replace(/\.ts$/, ""));
    expect(demos.sort()).toEqual([...names].sort());
  });

  test("no source file keeps a list of services by hand", () => {
    // Skipped: the vendored contract, generated code, the bench's frozen reference, this feature's own tests.
    const skip = /^(node_modules|dist|coverage|\.git|contract|operations|bench\/reference|bench\/results|test\/(unit\/scripts|integration)\/services)(\/|$)|\.openapi\.ts$|\.md$/;
    const generated = new Set(["src/services.ts", "datasources/registry.ts", "upstreams/services/index.ts", "services.json"]);
    const files = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const path = dir ? `${dir}/${e.name}` : e.name;
      if (skip.test(path)) return [];
      return e.isDirectory() ? files(path) : /\.(ts|mjs|cjs|js|json|ya?ml)$/.test(e.name) && !generated.has(path) ? [path] : [];
    });
    const found = files("").flatMap((path) => {
      // The deploy files' derived regions are checked above; what is outside them is hand-written.
      const text = read(path).replace(/# begin services\.json[\s\S]*?# end services\.json/g, "");
      return handKeptLists(text, names).map((line) => `${path}:${line}`);
    });
    expect(found).toEqual([]);
  });

  test("the scan finds a hand-kept list (it can fail)", () => {
    expect(handKeptLists('const ok = 1;\nconst all = ["catalog", "inventory", "reviews", "accounts"];', names)).toEqual([2]);
    expect(handKeptLists("CATALOG_URL=x INVENTORY_URL=y REVIEWS_URL=z ORDERS_URL=w", names)).toEqual([1]);
    expect(handKeptLists("CATALOG_TLS_FILE=x INVENTORY_URL=y REVIEWS_API_KEY=z ORDERS_RETRIES=w", names)).toEqual([]);
    expect(handKeptLists('for (const s of ["catalog", "inventory", "reviews"] as const)', names)).toEqual([]);
  });
});
