import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generatePersistedQueryManifest } from "@apollo/generate-persisted-query-manifest";
import { persistedId, sha256 } from "../support/persisted";
import { recordingLogger, startStack, type Json, type Stack } from "../support/stack";
import { ProductDetailDocument } from "../../operations/generated/graphql";

const ROOT = join(__dirname, "../..");
const APPS = { mobile: 6, web: 3 } as const;
const readManifest = (app: string) =>
  JSON.parse(readFileSync(join(ROOT, `operations/manifests/${app}.json`), "utf8")) as Json;

describe("Apollo persisted query manifests (operations/manifests/)", () => {
  test.each(Object.keys(APPS))(
    "%s.json is what @apollo/generate-persisted-query-manifest writes (run npm run codegen)",
    async (app) => {
      const configPath = join(ROOT, `operations/manifests/${app}.config.json`);
      const config = JSON.parse(readFileSync(configPath, "utf8")) as { documents: string[] };
      const cwd = process.cwd();
      process.chdir(ROOT); // the config's globs are relative to the project root, as for the CLI
      try {
        const generated = await generatePersistedQueryManifest(config, configPath);
        expect(readFileSync(join(ROOT, `operations/manifests/${app}.json`), "utf8")).toBe(
          JSON.stringify(generated, null, 2),
        );
      } finally {
        process.chdir(cwd);
      }
    },
  );

  test.each(Object.entries(APPS))(
    "%s: each of its %i operations, keyed by the sha256 of the body Apollo Client sends (__typename added)",
    (app, count) => {
      const manifest = readManifest(app);
      expect(manifest).toMatchObject({ format: "apollo-persisted-query-manifest", version: 1 });
      expect(manifest.operations).toHaveLength(count);
      for (const op of manifest.operations as Json[]) {
        expect(sha256(op.body)).toBe(op.id);
        expect(op.body).toContain("__typename");
      }
    },
  );
});

async function post(
  url: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe("trusted documents per client app", () => {
  let stack: Stack;
  const log = recordingLogger();
  beforeAll(async () => {
    stack = await startStack({
      env: { TRUSTED_DOCUMENTS: "enforce", TRUSTED_DOCUMENTS_CLIENTS: "web=allow" },
      logger: log.logger,
    });
  });
  afterAll(() => stack.close());

  const extra = { query: "query Extra { categories { id } }", operationName: "Extra" };

  test("the allowed app runs any operation, and each one outside the manifests is logged", async () => {
    log.lines.length = 0;
    const res = await post(stack.url, extra, { "apollographql-client-name": "web", "x-request-id": "req-extra-1" });
    expect(res.status).toBe(200);
    expect(res.body.data.categories).toHaveLength(12);
    expect(log.lines.filter((l) => l.msg === "operation outside the persisted documents manifests")).toEqual([
      expect.objectContaining({ level: 40, client: "web", operationName: "Extra", requestId: "req-extra-1" }),
    ]);
  });

  test("a manifest operation sent as text by the allowed app is not logged", async () => {
    log.lines.length = 0;
    const body = (readManifest("web").operations as Json[]).find((op) => op.name === "CatalogAdmin")?.body as string;
    await post(stack.url, { query: body, variables: { first: 1 } }, { "apollographql-client-name": "web" });
    expect(log.lines.filter((l) => l.msg === "operation outside the persisted documents manifests")).toEqual([]);
  });

  test.each([
    ["another app", { "apollographql-client-name": "mobile" }],
    ["an unnamed caller", {}],
  ])("%s gets the default mode (enforce)", async (_who, headers) => {
    const res = await post(stack.url, extra, headers);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
  });

  test.each([
    ["bare", ""],
    ["prefixed", "sha256:"],
  ])("GraphQL Code Generator's ids run, %s", async (_name, prefix) => {
    const res = await post(stack.url, {
      documentId: `${prefix}${persistedId(ProductDetailDocument)}`,
      variables: { id: "p-0002" },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.product.id).toBe("p-0002");
    expect(res.body.data.product.__typename).toBeUndefined(); // codegen's documents ask for none
  });

  test("an Apollo manifest id, as documentId too, answers every __typename the document asks for", async () => {
    const op = (readManifest("mobile").operations as Json[]).find((o) => o.name === "ProductDetail") as Json;
    const res = await post(stack.url, { documentId: op.id, variables: { id: "p-0002" } });
    const product = res.body.data.product;
    expect(product).toMatchObject({
      __typename: "Product",
      price: { __typename: "Money" },
      category: { __typename: "Category" },
    });
    expect(
      product.reviews.every(
        (r: Json) => r.__typename === "Review" && (r.author === null || r.author.__typename === "User"),
      ),
    ).toBe(true);
  });
});

describe("GET without a preflight header (CSRF prevention)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const id = (app: string, name: string) =>
    ((readManifest(app).operations as Json[]).find((o) => o.name === name) as Json).id as string;
  const get = (params: Record<string, string>) => fetch(`${stack.url}/graphql?${new URLSearchParams(params)}`); // no content type, no custom header

  test("a manifest query by id is served: it can only read what a published operation reads", async () => {
    const res = await get({ documentId: id("mobile", "Categories") });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).data.categories).toHaveLength(12);
  });

  test("a manifest mutation by id is not: mutations never run by GET", async () => {
    const res = await get({
      documentId: id("mobile", "AddReview"),
      variables: JSON.stringify({ productId: "p-0001", rating: 5, body: "by GET" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).errors[0].message).toMatch(/Cross-Site Request Forgery/);
  });

  test("an arbitrary query is not (development accepts it with apollo-require-preflight)", async () => {
    const res = await get({ query: "{ categories { id } }" });
    expect(res.status).toBe(400);
  });
});
