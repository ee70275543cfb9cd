import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Viewer } from "../../../../src/auth/viewer";
import {
  PersistedDocuments,
  TrustedDocuments,
  TrustPolicy,
  type GraphQLHttpRequest,
  type TrustedDocumentsMode,
} from "../../../../src/http/trusted-documents";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const QUERY = "query Categories { categories { id } }";
const MUTATION = 'mutation AddReview { addReview(productId: "p", rating: 5, body: "b") { review { id } } }';
const OTHER = "{ products { totalCount } }";

describe("TrustedDocuments.check", () => {
  const dir = mkdtempSync(join(tmpdir(), "bff-trusted-"));
  const manifestPath = join(dir, "persisted.json");
  writeFileSync(manifestPath, JSON.stringify({ [`sha256:${sha256(QUERY)}`]: QUERY, [sha256(MUTATION)]: MUTATION }));
  const manifest = PersistedDocuments.load({ codegen: manifestPath, apollo: {} });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const warnings: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: "warn" },
    {
      write: (line: string) => {
        warnings.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const trusted = (
    mode: TrustedDocumentsMode,
    options: { clients?: Record<string, TrustedDocumentsMode>; adminBypass?: boolean } = {},
  ) => new TrustedDocuments(manifest, new TrustPolicy(mode, options.clients), options.adminBypass ?? false, logger);
  const post = (body: unknown, clientName?: string): GraphQLHttpRequest => ({
    method: "POST",
    search: "",
    body,
    clientName,
  });
  const get = (params: Record<string, string>): GraphQLHttpRequest => ({
    method: "GET",
    search: `?${new URLSearchParams(params).toString()}`,
    body: undefined,
  });
  let asked = 0;
  const viewer = (who: Viewer | null) => async () => {
    asked += 1;
    return who;
  };
  const anonymous = viewer(null);
  beforeEach(() => {
    warnings.length = 0;
    asked = 0;
  });

  test("a documentId (with or without sha256:) is replaced by its text; a query may then run by GET, a mutation not", async () => {
    const byId = post({ documentId: `sha256:${sha256(QUERY)}`, variables: {} });
    expect(await trusted("enforce").check(byId, anonymous)).toBeNull();
    expect(byId.body).toEqual({ query: QUERY, variables: {} });
    expect(byId.trustedQuery).toBe(true);
    const mutation = post({ documentId: sha256(MUTATION) });
    expect(await trusted("allow").check(mutation, anonymous)).toBeNull();
    expect(mutation.trustedQuery).toBe(false);
    const byGet = get({ documentId: sha256(QUERY), operationName: "Categories" });
    expect(await trusted("enforce").check(byGet, anonymous)).toBeNull();
    expect(new URLSearchParams(byGet.search).get("query")).toBe(QUERY);
    expect(new URLSearchParams(byGet.search).has("documentId")).toBe(false);
  });

  test("an unknown id: 400 PERSISTED_QUERY_NOT_FOUND; any id with the mode off: PERSISTED_QUERY_NOT_SUPPORTED", async () => {
    expect(await trusted("allow").check(post({ documentId: "abc" }), anonymous)).toEqual({
      status: 400,
      code: "PERSISTED_QUERY_NOT_FOUND",
      message: 'Unknown documentId "abc": it is not in the persisted documents manifest',
    });
    expect(await trusted("off").check(post({ documentId: sha256(QUERY) }), anonymous)).toMatchObject({
      status: 400,
      code: "PERSISTED_QUERY_NOT_SUPPORTED",
    });
  });

  test("APQ's sha256Hash alone, when in the manifest, runs its text; unknown, it is left to Apollo's APQ", async () => {
    const known = post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(QUERY) } } });
    expect(await trusted("enforce").check(known, anonymous)).toBeNull();
    expect(known.body).toMatchObject({ query: QUERY });
    const unknown = post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(OTHER) } } });
    expect(await trusted("allow").check(unknown, anonymous)).toBeNull();
    expect(unknown.body).not.toHaveProperty("query");
  });

  test("enforce: the exact text of a manifest operation runs; anything else is 400 PERSISTED_QUERY_NOT_ALLOWED", async () => {
    expect(await trusted("enforce").check(post({ query: QUERY }), anonymous)).toBeNull();
    expect(await trusted("enforce").check(post({ query: OTHER }), anonymous)).toMatchObject({
      status: 400,
      code: "PERSISTED_QUERY_NOT_ALLOWED",
    });
    expect(await trusted("enforce").check(get({ query: `${QUERY} ` }), anonymous)).toMatchObject({
      code: "PERSISTED_QUERY_NOT_ALLOWED",
    });
  });

  test("the admin bypass: only an admin token passes, and the token is verified only when needed", async () => {
    const policy = trusted("enforce", { adminBypass: true });
    expect(await policy.check(post({ query: QUERY }), viewer({ id: "u-0050", role: "admin" }))).toBeNull();
    expect(asked).toBe(0); // a manifest operation needs no token check
    expect(await policy.check(post({ query: OTHER }), viewer({ id: "u-0050", role: "admin" }))).toBeNull();
    expect(await policy.check(post({ query: OTHER }), viewer({ id: "u-0001", role: "customer" }))).toMatchObject({
      code: "PERSISTED_QUERY_NOT_ALLOWED",
    });
    expect(
      await policy.check(post({ query: OTHER }), async () => {
        throw new Error("bad token");
      }),
    ).toMatchObject({ code: "PERSISTED_QUERY_NOT_ALLOWED" });
    expect(
      await trusted("enforce").check(post({ query: OTHER }), viewer({ id: "u-0050", role: "admin" })),
    ).toMatchObject({ code: "PERSISTED_QUERY_NOT_ALLOWED" });
  });

  test("per client app: its own mode; an app in allow gets each operation outside the manifests logged, with its request id", async () => {
    const policy = trusted("allow", { clients: { mobile: "enforce", web: "allow" } });
    expect(await policy.check(post({ query: OTHER }, "mobile"), anonymous)).toMatchObject({
      code: "PERSISTED_QUERY_NOT_ALLOWED",
    });
    expect(await policy.check(post({ query: OTHER, operationName: "Count" }, "web"), anonymous, "req-9")).toBeNull();
    expect(await policy.check(post({ query: QUERY }, "web"), anonymous, "req-10")).toBeNull();
    expect(await policy.check(post({ query: OTHER }), anonymous)).toBeNull(); // unnamed callers: not logged
    expect(warnings.map((w) => [w.msg, w.client, w.operationName, w.requestId])).toEqual([
      ["operation outside the persisted documents manifests", "web", "Count", "req-9"],
    ]);
  });

  test("a GET of a manifest query is marked trusted (no CSRF preflight needed); any other GET or method is not", async () => {
    const known = get({ query: QUERY });
    const unknown = get({ query: OTHER });
    expect([await trusted("allow").check(known, anonymous), await trusted("allow").check(unknown, anonymous)]).toEqual([
      null,
      null,
    ]);
    expect([known.trustedQuery, unknown.trustedQuery]).toEqual([true, false]);
    const options: GraphQLHttpRequest = { method: "OPTIONS", search: "", body: undefined };
    expect(await trusted("enforce").check(options, anonymous)).toBeNull();
    expect(options.trustedQuery).toBeUndefined();
  });
});
