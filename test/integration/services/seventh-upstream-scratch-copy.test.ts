// "A seventh upstream is its own folder plus one line": in a scratch copy of the files the list
// drives, one line in services.json and the new service's own files are all it takes for the
// generated TypeScript, the deploy files, the OpenAPI codegen and the lint rule to pick it up.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadServices } from "../../../scripts/services/list.cjs";
import { SEVENTH } from "../../support/seventh-service";

const ROOT = join(__dirname, "../../..");
/** What the list drives, and what the generator checks by convention. */
const COPIED = [
  "services.json",
  "scripts",
  "eslint.config.mjs",
  "deploy/compose.yaml",
  "deploy/kubernetes",
  "contract/upstream",
  "datasources",
  "upstreams",
  "src",
  "tsconfig.json",
];
const CROSS = "A service folder never imports another service folder.";

function run(cwd: string, args: string[]): { status: number | null; out: string } {
  const res = spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: 150_000 });
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

describe("a seventh upstream in a scratch copy", () => {
  let dir: string;
  const read = (path: string) => readFileSync(join(dir, path), "utf8");
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const generator = (...flags: string[]) => run(dir, ["scripts/services/generate.cjs", ...flags]);
  /** ESLint's messages per file, with the scratch copy's eslint.config.mjs. */
  const lint = (...files: string[]): Record<string, string[]> => {
    const eslint = join(ROOT, "node_modules/eslint/bin/eslint.js");
    const { out } = run(dir, [eslint, "--format", "json", ...files]);
    const results = JSON.parse(out.slice(out.indexOf("["))) as Array<{
      filePath: string;
      messages: Array<{ message: string }>;
    }>;
    return Object.fromEntries(results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => m.message)]));
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "bff-seventh-"));
    for (const path of COPIED) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    // An existing service folder that imports the new one (the lint rule must refuse it).
    write(
      "datasources/catalog/uses-loyalty.ts",
      'import type { LoyaltySource } from "../loyalty/loyalty.model";\n' + "export type Seen = LoyaltySource;\n",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("before the line, the lint rule does not know the folder (the control)", () => {
    expect(lint("datasources/catalog/uses-loyalty.ts")).toEqual({ "datasources/catalog/uses-loyalty.ts": [] });
  });

  test("the line without the service's own files: the generator names what is missing", () => {
    write("services.json", JSON.stringify({ services: [...loadServices(dir), SEVENTH] }, null, 2));
    const res = generator();
    expect(res.status).toBe(1);
    expect(res.out).toContain("loyalty: datasources/loyalty/loyalty.api.ts is missing");
    expect(res.out).toContain("loyalty: upstreams/services/loyalty.ts is missing");
    expect(res.out).toContain("loyalty: contract/upstream/loyalty.openapi.yaml is missing");
  });

  test("with its own files: registries, deploy, OpenAPI types and the lint rule pick it up", () => {
    write(
      "datasources/loyalty/loyalty.model.ts",
      "export interface LoyaltySource { points(userId: string): Promise<number> }\n",
    );
    write(
      "datasources/loyalty/loyalty.api.ts",
      [
        'import type { CatalogSource } from "../catalog/catalog.model";',
        'import type { SourceDeps } from "../shared/source-deps";',
        'import type { LoyaltySource } from "./loyalty.model";',
        "export class LoyaltyApi implements LoyaltySource {",
        "  catalog?: CatalogSource;",
        "  constructor(private readonly deps: SourceDeps) {}",
        "  async points(userId: string): Promise<number> {",
        "    return (await this.deps.http.get<{ points: number }>(`/points/${userId}`)).points;",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    write(
      "upstreams/services/loyalty.ts",
      'import type { DemoContext } from "../demo";\n' +
        "export function loyaltyRoutes(_: DemoContext) { return () => undefined; }\n",
    );
    const spec = read("contract/upstream/accounts.openapi.yaml");
    write("contract/upstream/loyalty.openapi.yaml", spec);

    expect(generator("--check")).toMatchObject({ status: 1, out: expect.stringContaining("stale: src/services.ts") });
    expect(generator()).toMatchObject({ status: 0, out: expect.stringContaining("7 services") });
    expect(generator("--check")).toMatchObject({ status: 0 });

    expect(read("src/services.ts")).toContain('  "loyalty",\n] as const;');
    expect(read("src/services.ts")).toContain("  loyalty: 4007,");
    expect(read("datasources/registry.ts")).toContain('    loyalty: new LoyaltyApi(source("loyalty")),');
    expect(read("upstreams/services/index.ts")).toContain("  loyalty: loyaltyRoutes,");
    expect(read("deploy/compose.yaml")).toMatch(
      new RegExp(
        "^ {4}LOYALTY_URL: http://upstreams:4007\n(.*\n)*" +
          " {4}LOYALTY_API_KEY: dev-loyalty-key\n {4}# end services\\.json$",
        "m",
      ),
    );
    expect(read("deploy/kubernetes/bff.yaml")).toMatch(
      new RegExp("^ {2}LOYALTY_URL: http://loyalty\\.storefront\\.svc\\.cluster\\.local\n" + " {2}# end services", "m"),
    );
    const secrets = read("deploy/kubernetes/bff.secrets.env.example");
    expect(secrets).toMatch(/^LOYALTY_API_KEY=$/m);
    expect(secrets).not.toMatch(/^LOYALTY_WEBHOOK_SECRET/m);

    expect(run(dir, ["scripts/openapi-types.mjs"])).toMatchObject({ status: 0 });
    expect(read("datasources/loyalty/loyalty.openapi.ts")).toMatch(
      /^\/\/ Generated by scripts\/openapi-types\.mjs[\s\S]*export interface components/,
    );

    const files = ["datasources/catalog/uses-loyalty.ts", "datasources/loyalty/loyalty.api.ts"];
    expect(lint(...files)).toEqual({
      "datasources/catalog/uses-loyalty.ts": [expect.stringContaining(CROSS)],
      "datasources/loyalty/loyalty.api.ts": [expect.stringContaining(CROSS)],
    });
  });

  test("it compiles: the datasources gain `loyalty`, the demo upstreams its routes", () => {
    const files = ["datasources/index.ts", "upstreams/start.ts", "typed-use.ts"];
    write(
      "typed-use.ts",
      [
        'import type { DataSources } from "./datasources";',
        'import { DEFAULT_PORTS } from "./upstreams/start";',
        'export const points = (s: DataSources): Promise<number> => s.loyalty.points("u-1");',
        "export const port: number = DEFAULT_PORTS.loyalty;",
        "",
      ].join("\n"),
    );
    write(
      "tsconfig.seventh.json",
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { types: ["node"] },
        include: [],
        files,
      }),
    );
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    expect(run(dir, [tsc, "--noEmit", "-p", "tsconfig.seventh.json"])).toEqual({ status: 0, out: "" });
  }, 180_000);

  test("a hand edit of a derived region is drift: --check names the file", () => {
    const compose = read("deploy/compose.yaml");
    write("deploy/compose.yaml", compose.replace("upstreams:4001", "upstreams:4999"));
    expect(generator("--check")).toEqual({
      status: 1,
      out: "stale: deploy/compose.yaml (run npm run codegen:services)\n",
    });
  });
});
