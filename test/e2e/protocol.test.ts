import { auditServer, type AuditResult } from "graphql-http";
import { startProductionStack } from "../support/production";
import { rawRequest } from "../support/raw-http";
import { startStack, type Json, type Stack } from "../support/stack";

/** The audits that do not pass, by status, as `id` lists (docs/clients/operations.md: "GraphQL over HTTP"). */
async function audit(url: string): Promise<Record<string, string[]>> {
  const results: AuditResult[] = await auditServer({ url: `${url}/graphql` });
  expect(results.length).toBeGreaterThanOrEqual(60);
  const byStatus: Record<string, string[]> = {};
  for (const result of results) (byStatus[result.status] ??= []).push(result.id);
  delete byStatus.ok;
  for (const ids of Object.values(byStatus)) ids.sort();
  return byStatus;
}

// Documented choices (docs/clients/operations.md): Apollo answers 400 to parse, validation and variable errors whatever
// the media type (572B, FDE2, 7B9B), and CSRF prevention refuses simple GETs of arbitrary documents
// (5A70, D6D5, 6A70).
const CHOICES = { warn: ["572B", "7B9B", "FDE2"], notice: ["5A70", "6A70", "D6D5"] };

describe("graphql-http's server audits", () => {
  test("development: every MUST passes; the rest are the documented choices", async () => {
    const stack = await startStack();
    try {
      expect(await audit(stack.url)).toEqual(CHOICES);
    } finally {
      await stack.close();
    }
  });

  test("production (trusted documents allowed): only the audits that need introspection fail", async () => {
    const stack = await startProductionStack({ TRUSTED_DOCUMENTS: "allow" });
    try {
      // BF61, 28B9 (MUST) and 2EA1 (SHOULD) query __type, which production keeps off.
      expect(await audit(stack.url)).toEqual({
        error: ["28B9", "BF61"],
        warn: ["2EA1", ...CHOICES.warn],
        notice: CHOICES.notice,
      });
    } finally {
      await stack.close();
    }
  });
});

describe("every refusal before GraphQL speaks the protocol", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { MAX_BODY_BYTES: "2048", MAX_QUERY_BYTES: "1000", TRUSTED_DOCUMENTS_CLIENTS: "strict-app=enforce" },
    });
  });
  afterAll(() => stack.close());

  const json = { "content-type": "application/json" };
  const body = (value: unknown) => JSON.stringify(value);
  type Ask = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
  const CASES: Array<[string, number, string, Ask]> = [
    [
      "an invalid token",
      401,
      "UNAUTHENTICATED",
      { headers: { ...json, authorization: "Bearer not.a.jwt" }, body: body({ query: "{ categories { id } }" }) },
    ],
    [
      "a malformed Authorization header",
      401,
      "UNAUTHENTICATED",
      { headers: { ...json, authorization: "Basic dXNlcjpwdw==" }, body: body({ query: "{ categories { id } }" }) },
    ],
    [
      "an unknown documentId",
      400,
      "PERSISTED_QUERY_NOT_FOUND",
      { headers: json, body: body({ documentId: "0".repeat(64) }) },
    ],
    [
      "a document outside the manifests, for an enforced app",
      400,
      "PERSISTED_QUERY_NOT_ALLOWED",
      {
        headers: { ...json, "apollographql-client-name": "strict-app" },
        body: body({ query: "{ categories { id } }" }),
      },
    ],
    [
      "a body over MAX_BODY_BYTES",
      413,
      "PAYLOAD_TOO_LARGE",
      { headers: json, body: body({ query: "{ categories { id } }", variables: { pad: "x".repeat(3000) } }) },
    ],
    [
      "a query over MAX_QUERY_BYTES",
      413,
      "PAYLOAD_TOO_LARGE",
      { headers: json, body: body({ query: `{ categories { id } }${" ".repeat(1100)}` }) },
    ],
    ["a body that is not JSON", 400, "BAD_REQUEST", { headers: json, body: "{" }],
    ["a method other than GET and POST", 405, "BAD_REQUEST", { method: "PUT", headers: json, body: "{}" }],
    [
      "a batch",
      400,
      "BAD_REQUEST",
      { headers: json, body: body([{ query: "{ categories { id } }" }, { query: "{ categories { id } }" }]) },
    ],
    [
      "a simple GET of an arbitrary document (CSRF)",
      400,
      "BAD_REQUEST",
      { method: "GET", path: "/graphql?query=%7B%20categories%20%7B%20id%20%7D%20%7D" },
    ],
    ["a path that is not served", 404, "NOT_FOUND", { method: "GET", path: "/nowhere" }],
  ];

  describe.each([
    ["application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json; charset=utf-8"],
    ["application/json", "application/json; charset=utf-8"],
    [undefined, "application/json; charset=utf-8"],
  ])("Accept: %s", (accept, contentType) => {
    test.each(CASES)("%s: %i %s, as {errors}, with the request id", async (_name, status, code, request) => {
      const requestId = `refusal-${Math.random().toString(36).slice(2)}`;
      const res = await rawRequest(`${stack.url}${request.path ?? "/graphql"}`, {
        method: request.method ?? "POST",
        headers: { ...request.headers, ...(accept ? { accept } : {}), "x-request-id": requestId },
        body: request.body,
      });
      expect(res.status).toBe(status);
      expect(res.headers["content-type"]).toBe(contentType);
      expect(res.headers["x-request-id"]).toBe(requestId);
      const answer = JSON.parse(res.body.toString()) as Json;
      expect(answer).toEqual({ errors: [{ message: expect.any(String), extensions: { code, requestId } }] });
      expect(answer.errors[0].message).not.toMatch(/\n\s+at /); // never a stack trace
      if (status === 401) {
        const challenge = request.headers?.authorization?.startsWith("Basic") ? "invalid_request" : "invalid_token";
        expect(res.headers["www-authenticate"]).toBe(`Bearer realm="storefront", error="${challenge}"`);
      }
    });
  });
});
