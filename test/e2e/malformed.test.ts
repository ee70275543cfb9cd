import { startStack, type Stack, type Json } from "../support/stack";

/** Every malformed request gets a 4xx with a clear message and a documented code: never a 5xx, never a stack. */
describe("malformed requests", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  afterEach(() => expect(Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0)).toBe(0));
  beforeEach(() => stack.upstreams.reset());

  const send = async (body: string, headers: Record<string, string> = { "content-type": "application/json" }) => {
    const res = await fetch(stack.url, { method: "POST", headers, body });
    const text = await res.text();
    expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace
    return { status: res.status, body: JSON.parse(text) as Json };
  };

  test.each([
    ["invalid JSON", '{"query": "{ categories { id } }"', undefined, 400, "BAD_REQUEST", /not valid JSON/],
    [
      "a text/plain body (CSRF prevention)",
      '{"query":"{ categories { id } }"}',
      { "content-type": "text/plain" },
      400,
      "BAD_REQUEST",
      /Cross-Site Request Forgery/,
    ],
    ["no query", '{"variables": {}}', undefined, 400, "BAD_REQUEST", /non-empty `query`/],
    ["a query that is not a string", '{"query": 42}', undefined, 400, "BAD_REQUEST", /queries must be strings/],
    ["unparsable GraphQL", '{"query": "{ categories { id "}', undefined, 400, "GRAPHQL_PARSE_FAILED", /Syntax Error/],
    [
      "an unknown field",
      '{"query": "{ categoriez { id } }"}',
      undefined,
      400,
      "GRAPHQL_VALIDATION_FAILED",
      /Cannot query field "categoriez"/,
    ],
    [
      "an unknown operation name",
      '{"query": "query A { categories { id } }", "operationName": "B"}',
      undefined,
      400,
      "OPERATION_RESOLUTION_FAILURE",
      /Unknown operation named "B"/,
    ],
    [
      "variables of the wrong type",
      '{"query": "query($n: Int!) { products(first: $n) { totalCount } }", "variables": {"n": "ten"}}',
      undefined,
      400,
      "BAD_USER_INPUT",
      /Int cannot represent/,
    ],
    [
      "a missing required variable",
      '{"query": "query($n: Int!) { products(first: $n) { totalCount } }"}',
      undefined,
      400,
      "BAD_USER_INPUT",
      /\$n/,
    ],
    [
      "variables that are not an object",
      '{"query": "{ categories { id } }", "variables": [1]}',
      undefined,
      400,
      "BAD_REQUEST",
      /variables/,
    ],
  ])("%s", async (_name, body, headers, status, code, message) => {
    const res = await send(body, headers);
    expect(res.status).toBe(status);
    expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(res.body.errors?.[0]?.message).toMatch(message);
  });

  test("a mutation by GET is refused", async () => {
    const url = `${stack.url}/?query=${encodeURIComponent('mutation { addReview(productId: "p-0001", rating: 5, body: "x") { review { id } } }')}`;
    const res = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    expect(res.status).toBe(405);
    expect(((await res.json()) as Json).errors?.[0]?.message).toMatch(/GET requests only support query operations/);
  });

  test("a GET without a preflight header is refused as a possible CSRF", async () => {
    const res = await fetch(`${stack.url}/?query=${encodeURIComponent("{ categories { id } }")}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
  });
});
