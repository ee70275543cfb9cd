import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { gunzipSync } from "node:zlib";
import type { Context } from "../../src/context";
import { capturedLogger, describeWithRedis, startStack, type Json, type Stack } from "../support/stack";
import { token } from "../support/tokens";

const QUERY = '{ product(id: "p-0002") { id name price { amount } } }'; // cost 3, max-age=60, public
const totalCalls = (stack: Stack) => Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0);

describe("the edge cache answers repeated anonymous queries before Apollo", () => {
  let stack: Stack;
  const contexts: Context[] = [];
  const { logger, lines } = capturedLogger();
  beforeAll(async () => {
    stack = await startStack({
      // A bucket of 10 points that never restores (the fake clock stands still): each answer's charge shows.
      env: {
        RATE_LIMIT_ANONYMOUS_BUCKET_SIZE: "10",
        RATE_LIMIT_ANONYMOUS_RESTORE_RATE: "1",
        COMPRESSION_MIN_BYTES: "1",
      },
      overrides: { onContext: (context) => contexts.push(context) },
      logger,
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    contexts.length = 0;
    lines.length = 0;
  });

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query }),
    });
  const requestLines = () => lines.filter((line) => line.msg === "graphql request");

  test("the same bytes again: the same answer and headers, no context, no upstream call, one log line; the bucket is charged each time, then Apollo refuses", async () => {
    const first = await post(QUERY);
    const firstBody = await first.text();
    expect(first.headers.get("cache-control")).toBe("max-age=60, public");
    expect(first.headers.get("ratelimit")).toMatch(/^"anonymous";r=7;/);
    expect(contexts).toHaveLength(1);

    stack.upstreams.reset();
    const second = await post(QUERY);
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(second.headers.get("cache-control")).toBe("max-age=60, public");
    expect(second.headers.get("vary")).toBe(first.headers.get("vary"));
    expect(second.headers.get("age")).toBe("0");
    expect(second.headers.get("x-request-id")).toMatch(/\S/);
    expect(second.headers.get("ratelimit")).toMatch(/^"anonymous";r=4;/);
    expect(contexts).toHaveLength(1); // Apollo never saw it
    expect(totalCalls(stack)).toBe(0);
    const edgeLine = requestLines().at(-1) as Json;
    expect(edgeLine).toMatchObject({ servedFrom: "edge", status: 200, cost: 3, upstreamCalls: 0, errors: [] });
    expect(edgeLine.requestId).toBe(second.headers.get("x-request-id"));
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/^bff_graphql_operations_total\{operation="other",outcome="ok"\} 2$/m); // Apollo's and the edge's

    expect((await post(QUERY)).headers.get("ratelimit")).toMatch(/^"anonymous";r=1;/);
    const refused = await post(QUERY); // 1 point left, 3 asked: the edge steps aside and Apollo refuses as always
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as Json).errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(contexts).toHaveLength(2);
  });

  test("callers with a token or a session cookie always reach Apollo", async () => {
    const signedIn = { authorization: `Bearer ${await token("u-0007")}` };
    await post('{ product(id: "p-0003") { id name } }', signedIn);
    await post('{ product(id: "p-0003") { id name } }', signedIn);
    await post('{ product(id: "p-0003") { id name } }', { cookie: "bff_session=whatever" });
    expect(contexts.length).toBeGreaterThanOrEqual(2);
    expect(requestLines().filter((line) => line.servedFrom === "edge")).toHaveLength(0);
  });
});

describe("edge answers: GET validators, compression, expiry and invalidation", () => {
  let stack: Stack;
  const contexts: Context[] = [];
  beforeAll(async () => {
    stack = await startStack({
      env: { COMPRESSION_MIN_BYTES: "1" },
      overrides: { onContext: (context) => contexts.push(context) },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    contexts.length = 0;
  });

  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { "apollo-require-preflight": "true", ...headers },
    });

  test("a GET answered from the edge keeps its ETag (304 on a match) and is compressed once per encoding", async () => {
    const first = await get(QUERY, { "accept-encoding": "identity" });
    const body = await first.text();
    const etag = first.headers.get("etag") as string;
    const again = await get(QUERY, { "accept-encoding": "identity", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    for (let i = 0; i < 2; i++) {
      const gzipped = await rawGet(`${stack.url}/graphql?query=${encodeURIComponent(QUERY)}`, {
        "apollo-require-preflight": "true",
        "accept-encoding": "gzip",
        accept: "*/*", // as fetch sends it: Accept is part of the key
      });
      expect(gzipped.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gzipped.body).toString()).toBe(body);
    }
    expect(contexts).toHaveLength(1);
  });

  test("a GET without a CSRF preflight header never gets an edge answer: Apollo refuses it", async () => {
    await get(QUERY);
    const bare = await fetch(`${stack.url}/graphql?query=${encodeURIComponent(QUERY)}`);
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as Json).errors[0].message).toMatch(/CSRF|preflight/i);
  });

  test("an answer ends with its max-age, and a webhook invalidation of an id it holds drops it", async () => {
    const query = '{ product(id: "p-0004") { id name } }';
    await get(query);
    await get(query);
    expect(contexts).toHaveLength(1);
    stack.clock.advance(61_000);
    await get(query);
    expect(contexts).toHaveLength(2); // expired: Apollo again
    await get(query);
    expect(contexts).toHaveLength(2);
    await stack.server.invalidator.invalidate({ keys: [], lists: [], ids: ["p-0004"] });
    await get(query);
    expect(contexts).toHaveLength(3);
  });

  test("answers with errors are never kept", async () => {
    const withStock = '{ product(id: "p-0006") { id stock { available } } }';
    stack.upstreams.services.inventory.setFaults({ mode: "down" });
    try {
      const partial = (await (await get(withStock)).json()) as Json;
      expect(partial.errors[0].extensions.code).toMatch(/^UPSTREAM_|CIRCUIT_OPEN/);
      await get(withStock);
      expect(contexts).toHaveLength(2);
    } finally {
      stack.upstreams.services.inventory.setFaults({ mode: "ok" });
    }
    const broken = '{ product(id: "p-0005") { id nope } }';
    expect((await get(broken)).status).toBe(400);
    expect((await get(broken)).status).toBe(400);
    expect(contexts).toHaveLength(4); // each refused by Apollo again (its context is made before validation)
  });
});

/** A GET whose body comes back as sent (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

describeWithRedis("with Redis, replicas share answers through Apollo's response cache; each keeps its own edge", () => {
  let stack: Stack;
  const contexts: Context[] = [];
  beforeAll(async () => {
    stack = await startStack({ redis: true, overrides: { onContext: (context) => contexts.push(context) } });
  });
  afterAll(() => stack.close());

  test("an answer made by one replica is served by another without an upstream call, then from that replica's edge", async () => {
    const query = '{ product(id: "p-0008") { id name } }';
    const body = JSON.stringify({ query });
    const send = (url: string) =>
      fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const first = await send(stack.url);
    expect(first.headers.get("cache-control")).toBe("max-age=60, public");
    const other = await stack.replica();
    try {
      // The first replica's write to Redis is off its request path: wait until it is there.
      for (let i = 0; i < 100 && contexts.length === 1; i++) {
        stack.upstreams.reset();
        contexts.length = 0;
        const answer = await send(other.url);
        expect(await answer.text()).toBe(await first.clone().text());
        if (totalCalls(stack) === 0) break;
      }
      expect(totalCalls(stack)).toBe(0);
      contexts.length = 0;
      await send(other.url);
      expect(contexts).toHaveLength(0); // the other replica's own edge now
    } finally {
      await other.close();
    }
  });
});

describe("an edge answer is never a way around trusted documents", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS: "allow", TRUSTED_DOCUMENTS_CLIENTS: "kiosk=enforce" } });
  });
  afterAll(() => stack.close());

  test("bytes answered for an app in allow mode are refused for an app in enforce mode, every time", async () => {
    const body = JSON.stringify({ query: '{ product(id: "p-0009") { id name } }' }); // in no manifest
    const send = (app: string) =>
      fetch(`${stack.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "apollographql-client-name": app },
        body,
      });
    expect((await send("web")).status).toBe(200);
    expect((await send("web")).headers.get("age")).toBe("0"); // the web app's edge answer
    for (let i = 0; i < 2; i++) {
      const refused = await send("kiosk");
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as Json).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
    }
  });
});
