import pino from "pino";
import { parseConfig } from "../../src/config";
import { createServer } from "../../src/server";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { postGraphQL, startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";
import { perService, serviceEnv } from "../support/services";

describe("the HTTP surface in development", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("the landing page is Apollo Sandbox, opening with an example and a token hint", async () => {
    const res = await fetch(stack.url, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("embeddable-sandbox");
    expect(html).toContain("npm run -s token");
  });

  test("introspection is on", async () => {
    const res = await stack.gql<{ __schema: { queryType: { name: string } } }>("{ __schema { queryType { name } } }");
    expect(res.body.data?.__schema.queryType.name).toBe("Query");
  });

  test("health and readiness", async () => {
    expect(await (await fetch(`${stack.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect((await fetch(`${stack.url}/readyz`)).status).toBe(200);
  });

  test("/graphql answers too, and every response names its request id", async () => {
    const res = await postGraphQL(
      `${stack.url}/graphql`,
      "{ categories { id } }",
      {},
      { headers: { "x-request-id": "abc-1" } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("abc-1");
  });
});

describe("production mode", () => {
  let upstreams: Upstreams;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const apiKeys = perService((s) => `prod-${s}-key`);
    upstreams = await startUpstreams({ apiKeys });
    const env = serviceEnv((s) => ({ API_KEY: apiKeys[s], URL: upstreams.urls[s] }));
    // TRUSTED_DOCUMENTS=allow: production's default (enforce) would refuse these documents before the hardening under test
    const config = parseConfig({
      NODE_ENV: "production",
      TRUSTED_DOCUMENTS: "allow",
      LOG_LEVEL: "silent",
      JWT_SECRET: "x".repeat(40),
      JWT_ISSUER: "https://idp/",
      JWT_AUDIENCE: "bff",
      ...env,
    });
    const server = await createServer(config, { logger: pino({ level: "silent" }) });
    url = await server.listen(0);
    close = async () => {
      await server.close();
      await upstreams.close();
    };
  });
  afterAll(() => close());

  test("introspection is refused and there is no landing page", async () => {
    const res = await postGraphQL(url, "{ __schema { types { name } } }");
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const page = await fetch(url, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toContain("embeddable-sandbox");
  });

  test("no field suggestions", async () => {
    const res = await postGraphQL(url, "{ categories { nme } }");
    expect(res.body.errors?.[0]?.message).toBe('Cannot query field "nme" on type "Category".');
  });

  test("an unexpected failure is masked, with a request id to find it in the logs", async () => {
    const admin = await token("u-0050", {
      role: "admin",
      secret: "x".repeat(40),
      issuer: "https://idp/",
      audience: "bff",
    });
    const forged = Buffer.from("c1:no-such-cursor").toString("base64url"); // well-formed for us, refused by orders with a 400
    const res = await postGraphQL(
      url,
      "query($after: String) { orders(first: 1, after: $after) { nodes { id } } }",
      { after: forged },
      { token: admin, headers: { "x-request-id": "mask-1" } },
    );
    expect(res.body.errors).toEqual([
      {
        message: "Unexpected error",
        locations: expect.any(Array),
        path: ["orders"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "mask-1" },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/INVALID_CURSOR|127\.0\.0\.1|prod-orders-key|stack/);
  });
});

describe("request logging", () => {
  test("one structured line per request: request id, operation, duration, upstream calls", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: "info" },
      {
        write: (line: string) => {
          lines.push(JSON.parse(line));
        },
      },
    );
    const config = parseConfig({ LOG_LEVEL: "info" });
    const upstreams = await startUpstreams({ apiKeys: config.apiKeys });
    const server = await createServer(config, { upstreamUrls: upstreams.urls, logger });
    const url = await server.listen(0);
    try {
      await postGraphQL(
        url,
        "query Mine { me { id name } }",
        {},
        { token: await token("u-0003"), headers: { "x-request-id": "log-test-1" } },
      );
      const requestLines = lines.filter((l) => l.msg === "graphql request");
      expect(requestLines).toEqual([
        expect.objectContaining({
          requestId: "log-test-1",
          operationName: "Mine",
          upstreamCalls: 1,
          status: 200,
          errors: [],
          durationMs: expect.any(Number),
        }),
      ]);
      expect(JSON.stringify(lines)).not.toContain("Bearer");

      await postGraphQL(url, "{ me { id } }", {}, { token: "not-a-jwt", headers: { "x-request-id": "log-test-2" } });
      expect(lines.filter((l) => l.msg === "graphql request refused")).toEqual([
        expect.objectContaining({ requestId: "log-test-2", status: 401 }),
      ]);
    } finally {
      await server.close();
      await upstreams.close();
    }
  });
});
