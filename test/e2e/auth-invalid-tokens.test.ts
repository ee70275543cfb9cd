import { startStack, type Stack } from "../support/stack";
import { token, unsignedToken } from "../support/tokens";

describe("invalid tokens are refused with 401, never treated as anonymous", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test.each([
    [
      "forged (wrong secret)",
      () => token("u-0001", { role: "admin", secret: "another-secret-that-is-long-enough-0123456789" }),
    ],
    ["expired", () => token("u-0001", { expiresInSeconds: -60 })],
    ["alg: none", async () => unsignedToken("u-0001")],
    ["wrong audience", () => token("u-0001", { audience: "someone-else" })],
    ["wrong issuer", () => token("u-0001", { issuer: "https://evil.example/" })],
    ["unknown role", () => token("u-0001", { role: "superuser" })],
    ["not a JWT", async () => "not-a-jwt"],
  ])("%s", async (_name, make) => {
    stack.upstreams.reset();
    const res = await stack.gql('{ product(id: "p-0001") { name } }', {}, { token: await make() });
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Invalid token/),
        extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }),
      }),
    ]);
    expect(stack.upstreams.callCounts().catalog).toBe(0);
  });

  test("a header that is not 'Bearer <token>'", async () => {
    const res = await stack.gql("{ categories { id } }", {}, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
