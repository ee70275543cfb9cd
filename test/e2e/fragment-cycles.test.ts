import { startStack, type Json, type Stack } from "../support/stack";

const chain = (n: number, last: string): string =>
  Array.from(
    { length: n },
    (_, i) => `fragment F${i} on Query { __typename ...${i + 1 < n ? `F${i + 1}` : last} }`,
  ).join("\n");

/** Every document here once reached a rule that follows spreads; none may crash validation. */
describe("fragment cycles are refused before any limit or cost rule walks them", () => {
  let stack: Stack;
  beforeAll(async () => {
    // Room for documents of thousands of fragments: only the rules under test may refuse them.
    stack = await startStack({
      env: { MAX_QUERY_TOKENS: "100000", MAX_QUERY_BYTES: "1000000", MAX_BODY_BYTES: "2000000" },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.upstreams.reset());

  const refused = async (query: string, message: RegExp) => {
    const res = await stack.gql<Json>(query);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.body.errors?.map((e) => e.message).join("\n")).toMatch(message);
    expect(Object.values(stack.upstreams.callCounts()).every((n) => n === 0)).toBe(true);
  };

  test("a cycle of two fragments", async () => {
    await refused(
      "query Q { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
      /Cannot spread fragment "A" within itself via "B"/,
    );
  });

  test("a cycle of fifty fragments", async () => {
    const fragments = Array.from(
      { length: 50 },
      (_, i) => `fragment F${i} on Query { categories { id } ...F${(i + 1) % 50} }`,
    ).join("\n");
    await refused(`query Q { ...F0 }\n${fragments}`, /Cannot spread fragment "F0" within itself via "F1", "F2",/);
  });

  test("a fragment that spreads itself, directly and through fields", async () => {
    await refused(
      "{ ...A } fragment A on Query { categories { id } ...A }",
      /Cannot spread fragment "A" within itself\./,
    );
    await refused(
      "{ products(first: 1) { nodes { ...P } } } fragment P on Product { id category { products(first: 1) { nodes { ...P } } } }",
      /Cannot spread fragment "P" within itself/,
    );
  });

  test("a cycle no operation uses, and a spread of an unknown fragment", async () => {
    await refused("{ categories { id } } fragment A on Query { ...B } fragment B on Query { ...A }", /within itself/);
    await refused("{ ...Missing }", /Unknown fragment "Missing"/);
  });

  test("a thousand fragments ending in a cycle back to the first", async () => {
    await refused(`{ ...F0 }\n${chain(1_000, "F0")}`, /Cannot spread fragment "F0" within itself/);
  });

  test("spreads nested 1,000 deep: refused by graphql-js's own validation budget, cleanly", async () => {
    await refused(
      `{ ...F0 }\n${chain(999, "Last")}\nfragment Last on Query { categories { id } }`,
      /Validation aborted/,
    );
  });

  test("spreads nested 100 deep (no cycle) are validated, costed and answered", async () => {
    const res = await stack.gql<Json>(`{ ...F0 }\n${chain(99, "Last")}\nfragment Last on Query { categories { id } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.data?.categories).toHaveLength(12);
    expect(res.body.extensions?.cost.requestedQueryCost).toBe(2);
  });
});
