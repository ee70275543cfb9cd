import { GraphQLError } from "graphql";
import { parseConfig } from "../../../../src/config";
import { formatError } from "../../../../src/errors/format-error";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import type { ResilienceSettings } from "../../../../src/http/resilience";
import { createServiceClients, type ServiceEndpoint } from "../../../../src/http/service-clients";
import { ServiceHttp, type CallerMeta } from "../../../../src/http/service-http";
import { closedPort, startLoopback, type Loopback } from "../../../support/loopback";

const config = parseConfig({});
const DATE = "Mon, 30 Nov 2026 00:00:00 GMT";
/** A catalog client against `baseUrl`, with the configured policies save retries and timeout. */
const catalogAt = (baseUrl: string, settings: Partial<ResilienceSettings> = {}, timeoutMs = 2_000) => {
  const endpoints = Object.fromEntries(
    Object.entries(config.resilience).map(([service, resilience]) => [
      service,
      {
        baseUrl,
        apiKey: `key-${service}`,
        timeoutMs,
        resilience: { ...resilience, retries: 0, retryDelayMs: 1, retryMaxDelayMs: 2, ...settings },
      } satisfies ServiceEndpoint,
    ]),
  ) as Parameters<typeof createServiceClients>[0];
  return createServiceClients(endpoints).catalog;
};
const caller = (overrides: Partial<CallerMeta> = {}): CallerMeta => ({
  requestId: "req-1",
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  userId: "u-0001",
  calls: { count: 0 },
  deadline: new AbortController().signal,
  observer: null,
  ...overrides,
});
/** What a client finally sees for a failure: formatError's code. */
const clientCode = (error: unknown) =>
  formatError({ message: "x" }, new GraphQLError("x", { originalError: error as Error, path: ["product"] }), true)
    .extensions?.code;
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as UpstreamError,
  );

describe("ServiceHttp against a loopback upstream", () => {
  let upstream: Loopback;
  beforeAll(async () => {
    upstream = await startLoopback((req, res) => {
      const status = /^\/status\/(\d{3})/.exec(req.url ?? "")?.[1];
      if (req.url === "/hang") return; // never answers
      if (req.url === "/text") {
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<h1>Bad gateway</h1>");
        return;
      }
      if (status) {
        res.writeHead(Number(status), { "content-type": "application/json" });
        res.end(JSON.stringify({ code: "UPSTREAM_SAID", message: "no" }));
        return;
      }
      res.writeHead(200, {
        "content-type": "application/json",
        "cache-control": "max-age=60",
        etag: '"v1"',
        date: DATE,
        "x-other": "dropped",
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  afterAll(() => upstream.close());

  test("a call carries the key, request id, traceparent, user id and Idempotency-Key; the query string keeps commas", async () => {
    const http = new ServiceHttp(catalogAt(upstream.url), caller());
    const res = await http.request<{ ok: boolean }>({
      method: "POST",
      path: "/ok",
      params: { ids: "p-1,p-2", skip: undefined },
      body: { a: 1 },
      idempotencyKey: "idem-1",
    });
    expect(res).toEqual({
      status: 200,
      data: { ok: true },
      headers: { "cache-control": "max-age=60", etag: '"v1"', date: DATE },
    }); // only what the cache decides by
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe("/ok?ids=p-1,p-2");
    expect(sent?.headers).toMatchObject({
      "x-api-key": "key-catalog",
      "x-request-id": "req-1",
      traceparent: caller().traceparent,
      "x-user-id": "u-0001",
      "idempotency-key": "idem-1",
      "content-type": "application/json",
    });
  });

  test.each([
    [400, "INTERNAL_SERVER_ERROR"], // a request we should not have sent: our bug, masked
    [401, "UNAUTHENTICATED"],
    [403, "FORBIDDEN"],
    [404, "INTERNAL_SERVER_ERROR"],
    [409, "INTERNAL_SERVER_ERROR"],
    [429, "UPSTREAM_UNAVAILABLE"],
    [500, "UPSTREAM_UNAVAILABLE"],
    [503, "UPSTREAM_UNAVAILABLE"],
  ])("status %d -> UpstreamError(status, the body's code) -> %s", async (status, code) => {
    const calls = { count: 0 };
    const error = await failureOf(new ServiceHttp(catalogAt(upstream.url), caller({ calls })).get(`/status/${status}`));
    expect(error).toBeInstanceOf(UpstreamError);
    expect({ service: error.service, kind: error.kind, status: error.status, code: error.code }).toEqual({
      service: "catalog",
      kind: "status",
      status,
      code: "UPSTREAM_SAID",
    });
    expect(clientCode(error)).toBe(code);
    expect(calls.count).toBe(1); // retries off here
  });

  test("axios merges into each call only what our transport reads: no global header groups, transitional or env", async () => {
    const client = catalogAt(upstream.url);
    expect(Object.keys(client.axios.defaults).sort()).toEqual([
      "adapter",
      "headers",
      "maxContentLength",
      "maxRedirects",
      "timeout",
      "transformRequest",
      "transformResponse",
      "validateStatus",
    ]);
    const res = await client.axios.request({ method: "GET", url: `${upstream.url}/ok` });
    expect(res.data).toEqual({ ok: true }); // through our transport, parsed once
    expect(res.config.adapter).toBe(client.transport.adapter);
    expect(res.config).not.toHaveProperty("transitional");
    expect(res.config).not.toHaveProperty("env");
    expect(res.config.headers.get("x-api-key")).toBe("key-catalog");
  });

  test("an error page that is not JSON: a status without a code, never its body", async () => {
    const error = await failureOf(new ServiceHttp(catalogAt(upstream.url), caller()).get("/text"));
    expect(error).toMatchObject({ kind: "status", status: 502, code: undefined });
    expect(error.message).toBe("catalog: status 502");
  });

  test("no answer within the timeout -> timeout -> UPSTREAM_TIMEOUT", async () => {
    const error = await failureOf(new ServiceHttp(catalogAt(upstream.url, {}, 50), caller()).get("/hang"));
    expect(error).toMatchObject({ kind: "timeout" });
    expect(clientCode(error)).toBe("UPSTREAM_TIMEOUT");
  });

  test("the request's deadline spent mid-call -> deadline -> UPSTREAM_TIMEOUT", async () => {
    const deadline = new AbortController();
    const pending = failureOf(
      new ServiceHttp(catalogAt(upstream.url), caller({ deadline: deadline.signal })).get("/hang"),
    );
    for (
      let n = 0;
      n < 200 && !upstream.requests.some((r) => r.url === "/hang" && r.headers["x-request-id"] === "req-1");
      n++
    )
      await new Promise((r) => setImmediate(r));
    deadline.abort();
    const error = await pending;
    expect(error).toMatchObject({ kind: "deadline" });
    expect(clientCode(error)).toBe("UPSTREAM_TIMEOUT");
  });

  test("connection refused -> network -> UPSTREAM_UNAVAILABLE", async () => {
    const error = await failureOf(new ServiceHttp(catalogAt(await closedPort()), caller()).get("/ok"));
    expect(error).toMatchObject({ service: "catalog", kind: "network" });
    expect(clientCode(error)).toBe("UPSTREAM_UNAVAILABLE");
  });

  test("retries: a read retries transient failures; a 4xx, and a write without a key, are tried once", async () => {
    const client = catalogAt(upstream.url, { retries: 2, breakerMinCalls: 1_000 });
    const count = async (req: Parameters<ServiceHttp["request"]>[0]) => {
      const calls = { count: 0 };
      await new ServiceHttp(client, caller({ calls })).request(req).catch(() => undefined);
      return calls.count;
    };
    expect(await count({ path: "/status/503" })).toBe(3);
    expect(await count({ path: "/status/404" })).toBe(1);
    expect(await count({ method: "POST", path: "/status/503" })).toBe(1);
    expect(await count({ method: "POST", path: "/status/503", idempotencyKey: "k" })).toBe(3);
    expect(await count({ method: "POST", path: "/status/503", repeatable: true })).toBe(3);
    expect(client.inFlight).toBe(0);
  });
});
