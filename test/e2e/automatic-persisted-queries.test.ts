import { get, post } from "../support/client-requests";
import { sha256 } from "../support/persisted";
import { startStack, type Stack } from "../support/stack";

describe("automatic persisted queries", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("hash miss, then register, then hit", async () => {
    const query = "query Apq { categories { id name } }";
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const miss = await post(stack, { extensions });
    expect(miss.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const register = await post(stack, { query, extensions });
    expect(register.body.data?.categories).toHaveLength(12);
    const hit = await post(stack, { extensions });
    expect(hit.body.data).toEqual(register.body.data);
    const viaGet = await get(stack, { extensions: JSON.stringify(extensions) });
    expect(viaGet.body.data).toEqual(register.body.data);
  });

  test("a hash that does not match its query is refused", async () => {
    const res = await post(stack, {
      query: "{ categories { id } }",
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256("something else") } },
    });
    expect(res.status).toBe(400);
  });
});
