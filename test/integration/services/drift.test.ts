// Every list of services that is not generated must agree with the one list (services.json).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadServices, openapiJobs } from "../../../scripts/services/list.cjs";
import { generate } from "../../../scripts/services/generate.cjs";

const ROOT = join(__dirname, "../../..");
const services = loadServices();
const names = services.map((s) => s.name);
const sorted = (list: readonly string[]) => [...list].sort();
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The rows of the markdown table under `heading` in the contract README, without the header. */
function tableRows(heading: string): string[][] {
  const section = read("contract/README.md")
    .split(/^## /m)
    .find((s) => s.startsWith(heading));
  return (section ?? "")
    .split("\n")
    .filter((line) => /^\| [a-z]/.test(line))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .slice(1);
}

/**
 * Lines that name at least four services as string literals, or the same variable of at least
 * four services (`CATALOG_URL`, `INVENTORY_URL`, ...): a hand-kept list.
 */
function handKeptLists(text: string, serviceNames: readonly string[]): number[] {
  return text.split("\n").flatMap((line, i) => {
    // A field's declared sources (`@UpstreamField({ service: [...] })`) name what it reads, not every service.
    if (/^\s*service: \[/.test(line)) return [];
    const quoted = serviceNames.filter((n) => new RegExp(`["'\`]${n}["'\`]`).test(line));
    const bySuffix = new Map<string, number>();
    for (const n of serviceNames) {
      const variable = new RegExp(`\\b${n.toUpperCase()}_([A-Z_]+)`, "g");
      for (const suffix of new Set([...line.matchAll(variable)].map((m) => m[1] as string))) {
        bySuffix.set(suffix, (bySuffix.get(suffix) ?? 0) + 1);
      }
    }
    const listed = quoted.length >= 4 || [...bySuffix.values()].some((count) => count >= 4);
    return listed ? [i + 1] : [];
  });
}

/** Source files the scan reads: not the vendored contract, generated code, the frozen bench. */
const SKIP = new RegExp(
  [
    "^(node_modules|dist|coverage|\\.git|contract|operations|bench/reference|bench/results)(/|$)",
    "^test/(unit/scripts|integration)/services/", // this feature's own tests name services on purpose
    "\\.openapi\\.ts$",
    "\\.md$",
    "^package-lock\\.json$",
  ].join("|"),
);
const GENERATED = ["src/services.ts", "datasources/registry.ts", "upstreams/services/index.ts"];

function sourceFiles(dir = ""): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (SKIP.test(path) || GENERATED.includes(path) || path === "services.json") return [];
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|cjs|js|json|ya?ml)$/.test(entry.name) ? [path] : [];
  });
}

describe("the one list and the lists derived from it", () => {
  test("every generated file and region is up to date (npm run codegen:services)", () => {
    expect(generate(ROOT, { check: true }).stale).toEqual([]);
  });

  test("the contract's OpenAPI specs are exactly one per service (the codegen inputs)", () => {
    const specs = openapiJobs(services).map((job) => job.spec.replace("contract/upstream/", ""));
    expect(readdirSync(join(ROOT, "contract/upstream")).sort()).toEqual(sorted(specs));
  });

  test("the contract README's services and demo ports are the list's", () => {
    const rows = tableRows("Upstream services").map(([name, port]) => ({ name, port: Number(port) }));
    expect(rows).toEqual(services.map(({ name, port }) => ({ name, port })));
  });

  test("the services that send webhooks in the contract are those with `webhooks`", () => {
    const senders = [...new Set(tableRows("Webhooks").map(([service]) => service))];
    expect(senders).toEqual(services.filter((s) => s.webhooks).map((s) => s.name));
  });

  test("each service has its own folders, and no folder lacks a line", () => {
    const folders = readdirSync(join(ROOT, "datasources")).filter((f) => f !== "shared" && !f.endsWith(".ts"));
    expect(folders.sort()).toEqual(sorted(names));
    const demos = readdirSync(join(ROOT, "upstreams/services"))
      .filter((f) => f !== "index.ts")
      .map((f) => f.replace(/\.ts$/, ""));
    expect(demos.sort()).toEqual(sorted(names));
  });

  test("no source file keeps a list of services by hand", () => {
    const found = sourceFiles().flatMap((path) => {
      // The deploy files' derived regions are checked above; the rest of them is hand-written.
      const text = read(path).replace(/# begin services\.json[\s\S]*?# end services\.json/g, "");
      return handKeptLists(text, names).map((line) => `${path}:${line}`);
    });
    expect(sourceFiles()).toEqual(expect.arrayContaining(["eslint.config.mjs", "src/config.ts"]));
    expect(found).toEqual([]);
  });

  test("the scan finds a hand-kept list (it can fail)", () => {
    const literal = 'const ok = 1;\nconst all = ["catalog", "inventory", "reviews", "accounts"];';
    expect(handKeptLists(literal, names)).toEqual([2]);
    expect(handKeptLists("CATALOG_URL INVENTORY_URL REVIEWS_URL ORDERS_URL", names)).toEqual([1]);
    expect(handKeptLists("CATALOG_TLS INVENTORY_URL REVIEWS_API_KEY ORDERS_RETRIES", names)).toEqual([]);
    expect(handKeptLists('for (const s of ["catalog", "inventory", "reviews"])', names)).toEqual([]);
    expect(handKeptLists('    service: ["checkouts", "catalog", "inventory", "payments", "orders"],', names)).toEqual(
      [],
    );
    // scripts/openapi-types.mjs before the one list:
    const before = '["catalog", "inventory", "reviews", "accounts", "orders", "payments"];';
    expect(handKeptLists(`const SERVICES = ${before}`, names)).toEqual([1]);
  });
});
