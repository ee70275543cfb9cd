import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";

type Res = Awaited<ReturnType<Stack["gql"]>>;
const codes = (res: Res) => (res.body.errors ?? []).map((e) => [e.path?.join("."), e.extensions?.code]);

describe("per-field authorization (@access)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const as = async (who: "anonymous" | "customer" | "owner" | "admin") =>
    who === "anonymous"
      ? {}
      : { token: who === "admin" ? await adminToken() : await token(who === "owner" ? "u-0003" : "u-0004") };

  test("public: anyone reads the catalog", async () => {
    const res = await stack.gql('{ product(id: "p-0001") { name } }');
    expect(res.body.data).toEqual({ product: { name: expect.any(String) } });
    expect(res.body.errors).toBeUndefined();
  });

  test.each([
    ["anonymous", [["product.costPrice", "UNAUTHENTICATED"]]],
    ["customer", [["product.costPrice", "FORBIDDEN"]]],
    ["admin", []],
  ] as const)("admin: Product.costPrice for %s", async (who, expected) => {
    const res = await stack.gql<{ product: { name: string; costPrice: unknown } }>(
      '{ product(id: "p-0001") { name costPrice { amount } } }',
      {},
      await as(who),
    );
    expect(codes(res)).toEqual(expected);
    expect(res.body.data?.product.name).toEqual(expect.any(String)); // the rest still comes back
    expect(res.body.data?.product.costPrice === null).toBe(expected.length > 0);
  });

  test.each([
    ["anonymous", "UNAUTHENTICATED"],
    ["customer", "FORBIDDEN"],
    ["admin", null],
  ] as const)("admin: Query.orders and Query.lowStock for %s", async (who, code) => {
    const res = await stack.gql("{ orders(first: 1) { nodes { id } } lowStock(first: 1) { id } }", {}, await as(who));
    expect(codes(res)).toEqual(
      code
        ? [
            ["orders", code],
            ["lowStock", code],
          ]
        : [],
    );
  });

  test.each([
    ["anonymous", "UNAUTHENTICATED"],
    ["customer", "FORBIDDEN"],
    ["owner", null],
    ["admin", null],
  ] as const)("self/admin: Query.user and User.email/role/orders for %s", async (who, code) => {
    const res = await stack.gql<{ user: Record<string, unknown> | null }>(
      '{ user(id: "u-0003") { id email role orders(first: 1) { nodes { id } } } }',
      {},
      await as(who),
    );
    expect(codes(res)).toEqual(code ? [["user", code]] : []);
    if (!code)
      expect(res.body.data?.user).toMatchObject({
        id: "u-0003",
        email: expect.stringContaining("@"),
        role: "CUSTOMER",
      });
  });

  test("self: personal fields of a user reached through a review are null and FORBIDDEN for others", async () => {
    const review = stack.upstreams.data.reviews.find((r) => r.authorId === "u-0003");
    const query = "query($id: ID!) { product(id: $id) { reviews(first: 50) { author { id name email role } } } }";
    const owner = await stack.gql<{ product: { reviews: Array<{ author: Record<string, unknown> }> } }>(
      query,
      { id: review?.productId },
      await as("owner"),
    );
    const own = owner.body.data?.product.reviews.find((r) => r.author.id === "u-0003");
    expect(own?.author.email).toContain("@");
    const other = await stack.gql<{ product: { reviews: Array<{ author: Record<string, unknown> }> } }>(
      query,
      { id: review?.productId },
      await as("customer"),
    );
    const seen = other.body.data?.product.reviews.find((r) => r.author.id === "u-0003");
    expect(seen?.author).toEqual({ id: "u-0003", name: expect.any(String), email: null, role: null });
    expect(other.body.errors?.map((e) => e.extensions?.code)).toContain("FORBIDDEN");
  });

  test.each([
    ["anonymous", "UNAUTHENTICATED"],
    ["customer", "FORBIDDEN"],
    ["owner", null],
    ["admin", null],
  ] as const)("self/admin: Query.order for %s", async (who, code) => {
    const order = stack.upstreams.data.orders.find((o) => o.userId === "u-0003");
    const res = await stack.gql("query($id: ID!) { order(id: $id) { id } }", { id: order?.id }, await as(who));
    expect(codes(res)).toEqual(code ? [["order", code]] : []);
    if (!code) expect(res.body.data).toEqual({ order: { id: order?.id } });
  });

  test("Query.order of no order is NOT_FOUND", async () => {
    const res = await stack.gql('{ order(id: "o-999999") { id } }', {}, await as("admin"));
    expect(codes(res)).toEqual([["order", "NOT_FOUND"]]);
  });

  test("user: mutations need a signed-in caller", async () => {
    const res = await stack.gql('mutation { addReview(productId: "p-0001", rating: 5, body: "x") { review { id } } }');
    expect(codes(res)).toEqual([["addReview", "UNAUTHENTICATED"]]);
    expect(stack.upstreams.services.reviews.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });
});
