import { startProductionStack } from "../support/production";
import { rawRequest } from "../support/raw-http";
import { startStack, type Stack } from "../support/stack";

const preflight = (url: string, origin: string) =>
  rawRequest(url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type, authorization, apollographql-client-name",
    },
  });
const post = (url: string, origin: string) =>
  rawRequest(url, {
    method: "POST",
    headers: { origin, "content-type": "application/json" },
    body: JSON.stringify({ query: "{ categories { id } }" }),
  });

describe("CORS in development (default: any localhost port)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("a preflight from a local dev server is answered 204 with what the browser needs, never a CSRF refusal", async () => {
    const res = await preflight(stack.url, "http://localhost:5173");
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      "access-control-allow-origin": "http://localhost:5173",
      "access-control-allow-methods": "GET,POST",
      "access-control-allow-headers": "content-type, authorization, apollographql-client-name",
      "access-control-max-age": "600",
      vary: expect.stringContaining("Origin"),
    });
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  test("the answer lets the page read the request id and the rate-limit headers", async () => {
    const res = await post(stack.url, "http://127.0.0.1:3000");
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe("http://127.0.0.1:3000");
    expect(String(res.headers["access-control-expose-headers"]).split(",")).toEqual(
      expect.arrayContaining(["x-request-id", "retry-after", "ratelimit", "ratelimit-policy"]),
    );
  });

  test("another origin gets no CORS header (the browser refuses), and its preflight is still 204", async () => {
    const res = await post(stack.url, "https://evil.example");
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    const pre = await preflight(stack.url, "https://evil.example");
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("CORS configured: exact origins, patterns, credentials", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        CORS_ORIGINS: "https://dash.example.com, https://*.storefront.example",
        CORS_CREDENTIALS: "true",
        CORS_MAX_AGE_SECONDS: "60",
      },
    });
  });
  afterAll(() => stack.close());

  test.each([
    ["https://dash.example.com", true],
    ["https://admin.storefront.example", true],
    ["https://storefront.example", false], // the pattern needs a subdomain
    ["https://admin.storefront.example.evil.com", false], // anchored
    ["https://a.b.storefront.example", false], // one label
    ["http://dash.example.com", false], // scheme matters
    ["http://localhost:5173", false], // configured origins replace the development default
  ])("%s allowed: %s", async (origin, allowed) => {
    const res = await preflight(stack.url, origin);
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(allowed ? origin : undefined);
    if (allowed)
      expect(res.headers).toMatchObject({ "access-control-allow-credentials": "true", "access-control-max-age": "60" });
  });
});

describe("CORS in production", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startProductionStack();
  });
  afterAll(() => stack.close());

  test("by default no origin is allowed, not even localhost; preflights still get 204", async () => {
    const pre = await preflight(stack.url, "http://localhost:5173");
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBeUndefined();
    expect(pre.headers.allow).toBe("GET, POST, OPTIONS");
  });
});
