import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseConfig } from "../../src/config";
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from "../../src/config/jwt-config";
import { createServer, type BffServer } from "../../src/server";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { capturedLogger, postGraphQL, type Json } from "../support/stack";

/**
 * Production settings, a catalog that answers 400 to everything (an upstream answer we did not
 * expect: our bug, so unexpected) and real demo upstreams for the rest.
 */
describe("errors in production: what the client sees, and the level of each log line", () => {
  let upstreams: Upstreams;
  let badCatalog: Server;
  let server: BffServer;
  let url: string;
  const { logger, lines } = capturedLogger();

  beforeAll(async () => {
    // The real catalog, except that anything about p-0001 gets a 400 it should never send.
    badCatalog = createHttpServer((req, res) => {
      if (req.url?.includes("p-0001")) {
        res.statusCode = 400;
        res.setHeader("content-type", "application/json");
        res.end('{"code":"BAD","message":"internal detail 42"}');
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([name]) => name === "x-api-key" || name === "accept" || name === "if-none-match",
        ),
      ) as Record<string, string>;
      void fetch(`${upstreams.urls.catalog}${req.url}`, { headers }).then(async (answer) => {
        res.statusCode = answer.status;
        for (const name of ["content-type", "cache-control", "etag"]) {
          const value = answer.headers.get(name);
          if (value) res.setHeader(name, value);
        }
        res.end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => badCatalog.listen(0, "127.0.0.1", resolve));
    const env: Record<string, string> = {
      NODE_ENV: "production",
      JWT_SECRET: DEV_JWT_SECRET,
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: DEV_AUDIENCE,
      TRUSTED_DOCUMENTS: "allow",
      REVIEWS_BREAKER_MIN_CALLS: "4",
      REVIEWS_RETRIES: "0",
    };
    for (const s of SERVICE_NAMES) env[`${s.toUpperCase()}_API_KEY`] = `dev-${s}-key`;
    upstreams = await startUpstreams({ apiKeys: parseConfig({}).apiKeys });
    for (const s of SERVICE_NAMES)
      env[`${s.toUpperCase()}_URL`] =
        s === "catalog" ? `http://127.0.0.1:${(badCatalog.address() as AddressInfo).port}` : upstreams.urls[s];
    server = await createServer(parseConfig(env), { logger });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server.close();
    await upstreams.close();
    await new Promise((resolve) => badCatalog.close(resolve));
  });
  const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);

  test("an unexpected error: a generic message with the request id for the client; one error line with the stack", async () => {
    const res = await postGraphQL<Json>(url, '{ product(id: "p-0001") { id } }', undefined, {
      headers: { "x-request-id": "req-unexpected" },
    });
    expect(res.body.errors).toEqual([
      {
        message: "Unexpected error",
        path: ["product"],
        locations: expect.any(Array),
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-unexpected" },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/internal detail|400|catalog|127\.0\.0\.1/);
    const logged = linesOf("req-unexpected");
    expect(logged.filter((l) => l.level === 50)).toEqual([
      expect.objectContaining({
        msg: "unexpected error",
        err: expect.objectContaining({ stack: expect.stringContaining("UpstreamError") }),
      }),
    ]);
    expect(logged.filter((l) => l.msg === "graphql request")).toEqual([
      expect.objectContaining({ level: 30, errors: ["INTERNAL_SERVER_ERROR"] }),
    ]);
  });

  test("an expected client failure (an invalid document) is logged at info with its code, nothing at error", async () => {
    const ask = await postGraphQL<Json>(url, "{ nope }", undefined, { headers: { "x-request-id": "req-invalid" } });
    expect(ask.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(linesOf("req-invalid")).toEqual([
      expect.objectContaining({
        level: 30,
        msg: "graphql request",
        failures: [{ expected: true, code: "GRAPHQL_VALIDATION_FAILED" }],
      }),
    ]);
  });

  test("reviews down: warn with the service and kind until its breaker opens; then one warn for the change and info per request", async () => {
    upstreams.services.reviews.setFaults({ mode: "down" });
    for (let n = 0; n < 8; n++) {
      const res = await postGraphQL<Json>(url, '{ product(id: "p-0002") { id reviews(first: 1) { id } } }', undefined, {
        headers: { "x-request-id": `req-rating-${n}` },
      });
      expect(res.body.data?.product).toEqual({ id: "p-0002", reviews: [] }); // reviews fail soft
    }
    const reviewLines = lines.filter((l) => l.requestId?.startsWith("req-rating-") && l.msg === "graphql request");
    const first = reviewLines[0];
    expect(first?.level).toBe(40);
    expect(first?.failures).toEqual([
      { expected: true, code: "UPSTREAM_UNAVAILABLE", service: "reviews", kind: "status 503" },
    ]);
    expect(reviewLines.at(-1)).toMatchObject({
      level: 30,
      failures: [{ code: "CIRCUIT_OPEN", service: "reviews", kind: "circuit-open" }],
    });
    expect(lines.filter((l) => l.msg === "upstream failing: circuit open, calls paused")).toEqual([
      expect.objectContaining({ level: 40, service: "reviews" }),
    ]);
    expect(lines.filter((l) => l.level >= 50 && l.requestId?.startsWith("req-rating"))).toEqual([]);
  });
});
