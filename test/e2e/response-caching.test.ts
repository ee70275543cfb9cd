import { print } from "graphql";
import { ProductDetailDocument, ProductListDocument } from "../../operations/generated/graphql";
import { get, post } from "../support/client-requests";
import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";

const totalCalls = (stack: Stack) => Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0);

describe("cache-friendly GETs", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("public product data: public, for the shortest max-age of its fields", async () => {
    const name = await get(stack, { query: '{ product(id: "p-0001") { name price { formatted } } }' });
    expect(name.status).toBe(200);
    expect(name.headers.get("cache-control")).toBe("max-age=60, public");
    const detail = await get(stack, {
      query: print(ProductDetailDocument),
      variables: JSON.stringify({ id: "p-0001" }),
    });
    expect(detail.headers.get("cache-control")).toBe("max-age=5, public"); // stock: 5 s
    const reviews = await get(stack, {
      query: '{ product(id: "p-0001") { rating { average } reviews { body author { name } } } }',
    });
    expect(reviews.headers.get("cache-control")).toBe("max-age=30, public");
  });

  test("anything touching me or another personal field is private", async () => {
    const me = await get(stack, { query: "{ me { id name } }" }, await token("u-0003"));
    expect(me.headers.get("cache-control")).not.toMatch(/public/);
    const admin = await get(
      stack,
      { query: '{ product(id: "p-0001") { name costPrice { amount } } }' },
      await adminToken(),
    );
    expect(admin.body.errors).toBeUndefined();
    expect(admin.headers.get("cache-control")).not.toMatch(/public/);
  });

  test("a response with errors is not cacheable", async () => {
    const res = await get(stack, { query: '{ product(id: "p-0001") { name costPrice { amount } } }' });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  test("orders are never cacheable", async () => {
    const res = await get(stack, { query: "{ orders(first: 1) { nodes { id } } }" }, await adminToken());
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("whole-response cache", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("a repeated public query is answered from the response cache with zero upstream calls", async () => {
    const query = { query: print(ProductListDocument), variables: JSON.stringify({ first: 10 }) };
    const first = await get(stack, query);
    expect(first.headers.get("age")).toBeNull();
    stack.upstreams.reset();
    const again = await get(stack, query);
    expect(again.headers.get("age")).not.toBeNull();
    expect(again.body.data).toEqual(first.body.data);
    expect(totalCalls(stack)).toBe(0);
  });

  test("private data is never served from it, to its owner or anyone else", async () => {
    const mine = await post(stack, { query: "{ me { id email } }" }, await token("u-0003"));
    const again = await post(stack, { query: "{ me { id email } }" }, await token("u-0003"));
    const theirs = await post(stack, { query: "{ me { id email } }" }, await token("u-0004"));
    expect(again.headers.get("age")).toBeNull();
    expect(theirs.headers.get("age")).toBeNull();
    expect(mine.body.data?.me.id).toBe("u-0003");
    expect(theirs.body.data?.me.id).toBe("u-0004");
    expect(theirs.body.data?.me.email).not.toBe(mine.body.data?.me.email);
  });
});
