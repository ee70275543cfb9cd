import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";

describe("per-request isolation", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("concurrent users each get their own email, never another's", async () => {
    const users = ["u-0003", "u-0004", "u-0005", "u-0006"];
    const results = await Promise.all(
      users.map(async (id) =>
        stack.gql<{ me: { id: string; email: string } }>("{ me { id email } }", {}, { token: await token(id) }),
      ),
    );
    results.forEach((res, i) => {
      expect(res.body.data?.me.id).toBe(users[i]);
      expect(res.body.data?.me.email).toBe(stack.upstreams.data.users.find((u) => u.id === users[i])?.email);
    });
  });

  test("an email in the shared cache is still not served to another user", async () => {
    const admin = await stack.gql('{ user(id: "u-0004") { email } }', {}, { token: await adminToken() });
    expect(admin.body.data).toEqual({ user: { email: expect.stringContaining("@") } });
    const other = await stack.gql<{ product: unknown }>(
      "query($id: ID!) { product(id: $id) { reviews(first: 50) { author { id email } } } }",
      { id: stack.upstreams.data.reviews.find((r) => r.authorId === "u-0004")?.productId },
      { token: await token("u-0003") },
    );
    const emails = JSON.stringify(other.body.data);
    expect(emails).not.toContain("@");
    expect(other.body.errors?.every((e) => e.extensions?.code === "FORBIDDEN")).toBe(true);
  });

  test("two requests never share a DataLoader: within a request it de-duplicates, across requests it remembers nothing", async () => {
    const auth = { token: await adminToken() };
    stack.upstreams.reset();
    const once = await stack.gql('{ a: order(id: "o-000001") { id } b: order(id: "o-000001") { status } }', {}, auth);
    expect(once.body.errors).toBeUndefined();
    expect(stack.upstreams.services.orders.calls).toHaveLength(1);
    await stack.gql('{ order(id: "o-000001") { id } }', {}, auth); // orders are no-store: only a shared loader could skip this call
    expect(stack.upstreams.services.orders.calls).toHaveLength(2);
  });
});
