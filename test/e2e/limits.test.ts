import { startStack, type Stack, type Json } from "../support/stack";

const code = (res: { body: Json }) => res.body.errors?.[0]?.extensions?.code;
const totalCalls = (stack: Stack) => Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0);

describe("each limit: just under passes, just over is refused before any upstream call", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        MAX_QUERY_DEPTH: "3",
        MAX_QUERY_COST: "100",
        MAX_ALIASES: "3",
        MAX_DIRECTIVES: "2",
        MAX_QUERY_TOKENS: "60",
        MAX_QUERY_BYTES: "400",
        MAX_BODY_BYTES: "2048",
      },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.upstreams.reset());

  const refused = async (query: string, variables: Record<string, unknown>, status: number, expectedCode: string) => {
    stack.upstreams.reset();
    const res = await stack.gql<Json>(query, variables);
    expect(res.status).toBe(status);
    expect(code(res)).toBe(expectedCode);
    expect(res.body.data).toBeUndefined();
    expect(totalCalls(stack)).toBe(0);
    return res;
  };
  const passes = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await stack.gql<Json>(query, variables);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res;
  };

  test("depth", async () => {
    await passes('{ product(id: "p-0001") { reviews { author { id } } } }');
    const res = await refused(
      '{ product(id: "p-0001") { reviews { author { orders { nodes { id } } } } } }',
      {},
      400,
      "GRAPHQL_VALIDATION_FAILED",
    );
    expect(res.body.errors?.[0]?.message).toMatch(/exceeds maximum operation depth of 3/);
  });

  test("cost", async () => {
    const under = await passes("query($n: Int!) { products(first: $n) { nodes { stock { available } } } }", { n: 32 }); // 2 + 32 × 3 = 98
    expect(under.body.extensions?.cost.requestedQueryCost).toBe(98);
    const res = await refused(
      "query($n: Int!) { products(first: $n) { nodes { stock { available } } } }",
      { n: 33 },
      400,
      "QUERY_TOO_COSTLY",
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ cost: 101, maximumCost: 100 });
    expect(res.body.errors?.[0]?.message).toContain("101");
  });

  test.each([[0], [101], [-5]])("first: %i is BAD_USER_INPUT", async (first) => {
    const res = await refused(
      "query($n: Int!) { products(first: $n) { totalCount } }",
      { n: first },
      400,
      "BAD_USER_INPUT",
    );
    expect(res.body.errors?.[0]?.message).toBe(`Query.products(first:) must be between 1 and 100, got ${first}`);
  });

  test("first: 1 and 100 pass; a nested first is checked too", async () => {
    await passes("{ products(first: 1) { totalCount } }");
    await passes("{ products(first: 100) { totalCount } }");
    await refused('{ product(id: "p-0001") { reviews(first: 500) { id } } }', {}, 400, "BAD_USER_INPUT");
  });

  test("aliases", async () => {
    await passes("{ a: categories { id } b: categories { id } c: categories { id } }");
    const res = await refused(
      "{ a: categories { id } b: categories { id } c: categories { id } d: categories { id } }",
      {},
      400,
      "GRAPHQL_VALIDATION_FAILED",
    );
    expect(res.body.errors?.[0]?.message).toBe("Aliases limit of 3 exceeded, found 4.");
  });

  test("directives", async () => {
    await passes("{ categories { id @include(if: true) name @skip(if: false) } }");
    await refused(
      "{ categories { id @include(if: true) name @skip(if: false) __typename @include(if: true) } }",
      {},
      400,
      "GRAPHQL_VALIDATION_FAILED",
    );
  });

  test("tokens", async () => {
    const fields = (n: number) => Array.from({ length: n }, () => "id").join(" ");
    await passes(`{ categories { ${fields(50)} } }`);
    const res = await refused(`{ categories { ${fields(60)} } }`, {}, 400, "GRAPHQL_PARSE_FAILED");
    expect(res.body.errors?.[0]?.message).toMatch(/more th.. 60 tokens/);
  });

  test("query size in bytes", async () => {
    const padded = (bytes: number) => `{ categories { id } }${" ".repeat(bytes - 21)}`;
    await passes(padded(400));
    const res = await stack.gql<Json>(padded(401));
    expect(res.status).toBe(413);
    expect(code(res)).toBe("PAYLOAD_TOO_LARGE");
    expect(totalCalls(stack)).toBe(0);
  });

  test("request body size", async () => {
    await passes("query($v: String) { products(first: 1, search: $v) { totalCount } }", { v: "x".repeat(1_800) });
    stack.upstreams.reset();
    const res = await stack.gql<Json>("query($v: String) { products(first: 1, search: $v) { totalCount } }", {
      v: "x".repeat(2_100),
    });
    expect(res.status).toBe(413);
    expect(code(res)).toBe("PAYLOAD_TOO_LARGE");
    expect(totalCalls(stack)).toBe(0);
  });

  test("one operation per HTTP request: batches are refused", async () => {
    const res = await fetch(stack.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ categories { id } }" }, { query: "{ categories { id } }" }]),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/batching/i);
    expect(totalCalls(stack)).toBe(0);
  });
});
