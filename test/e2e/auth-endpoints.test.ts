// The /auth/* endpoints over plain HTTP (no browser): development cookie names, the authorization
// request's parameters, and every refusal with its code.
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { DEV_OIDC_CLIENT_ID, DEV_OIDC_CLIENT_SECRET } from "../../src/config/session-config";
import { safeReturnTo } from "../../src/auth/sessions/session-io";
import { startIdentityProvider, type IdentityProvider } from "../../upstreams/identity-provider";
import { startStack, type Json, type Stack } from "../support/stack";
import { token } from "../support/tokens";

let idp: IdentityProvider;
let stack: Stack;
let down: Stack;

beforeAll(async () => {
  idp = await startIdentityProvider({ clientId: DEV_OIDC_CLIENT_ID, clientSecret: DEV_OIDC_CLIENT_SECRET });
  stack = await startStack({ oidcIssuerUrl: idp.issuer });
  down = await startStack({ oidcIssuerUrl: `http://127.0.0.1:${await closedPort()}/`, upstreams: stack.upstreams });
});
afterAll(async () => {
  await down.close();
  await stack.close();
  await idp.close();
});

/** A loopback port that was free a moment ago and has nothing listening now. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const get = (path: string, init: RequestInit = {}) => fetch(`${stack.url}${path}`, { redirect: "manual", ...init });

test("/auth/login redirects to the provider with PKCE (S256), state and nonce; the login cookie is HttpOnly and SameSite=Lax (plain name over http in development)", async () => {
  const res = await get("/auth/login?returnTo=/dashboard");
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  expect(location.origin).toBe(idp.issuer);
  expect(Object.fromEntries(location.searchParams)).toMatchObject({
    client_id: DEV_OIDC_CLIENT_ID,
    response_type: "code",
    code_challenge_method: "S256",
    scope: "openid profile offline_access",
    redirect_uri: `${stack.url}/auth/callback`,
    state: expect.stringMatching(/.{20,}/),
    nonce: expect.stringMatching(/.{20,}/),
    code_challenge: expect.stringMatching(/^[\w-]{43}$/),
  });
  const cookie = res.headers.get("set-cookie") ?? "";
  expect(cookie).toMatch(/^bff-login=[^;]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/);
  expect(cookie).not.toContain(location.searchParams.get("state")); // sealed, not readable
});

test("a callback without a sign-in in progress is 401; a forged state is 401", async () => {
  const bare = await get("/auth/callback?code=abc&state=xyz");
  expect(bare.status).toBe(401);
  expect(((await bare.json()) as Json).errors[0].extensions).toEqual({
    code: "UNAUTHENTICATED",
    requestId: bare.headers.get("x-request-id"),
  });
  const login = await get("/auth/login");
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const forged = await get("/auth/callback?code=abc&state=not-the-state", { headers: { cookie } });
  expect(forged.status).toBe(401);
  expect(((await forged.json()) as Json).errors[0].message).toMatch(/state mismatch/);
});

test("returnTo must be a path on this site: anything else (an open redirect) becomes /", () => {
  expect(
    ["/dashboard?tab=1", "//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", ""].map(
      safeReturnTo,
    ),
  ).toEqual(["/dashboard?tab=1", "/", "/", "/", "/", "/"]);
});

test("/auth/session without a cookie is anonymous; a cookie that does not open is 401 and cleared", async () => {
  expect(await (await get("/auth/session")).json()).toEqual({ authenticated: false });
  const res = await get("/auth/session", { headers: { cookie: "bff-session=not-a-sealed-value" } });
  expect(res.status).toBe(401);
  expect(res.headers.get("set-cookie")).toMatch(/^bff-session=; Max-Age=0;/);
});

test("wrong methods are 405; the provider unreachable at sign-in is 502 UPSTREAM_UNAVAILABLE (identity)", async () => {
  const post = await get("/auth/login", { method: "POST" });
  expect(post.status).toBe(405);
  expect(post.headers.get("allow")).toBe("GET");
  expect((await get("/auth/logout")).status).toBe(405);
  const res = await fetch(`${down.url}/auth/login`, { redirect: "manual" });
  expect(res.status).toBe(502);
  expect(((await res.json()) as Json).errors[0].extensions).toEqual({
    code: "UPSTREAM_UNAVAILABLE",
    service: "identity",
    requestId: res.headers.get("x-request-id"),
  });
});

test("a bearer token wins over a cookie: no session lookup and no CSRF rules for it", async () => {
  const res = await stack.gql(
    "{ me { id } }",
    {},
    { token: await token("u-0002"), headers: { cookie: "bff-session=garbage", origin: "http://elsewhere.example" } },
  );
  expect(res.status).toBe(200);
  expect((res.body.data as Json).me.id).toBe("u-0002");
});

test("logout is a POST from the BFF's own origin: another origin is 403", async () => {
  const res = await get("/auth/logout", { method: "POST", headers: { origin: "http://elsewhere.example" } });
  expect(res.status).toBe(403);
  const own = await get("/auth/logout", { method: "POST", headers: { origin: stack.url } });
  expect(own.status).toBe(303);
  expect(own.headers.get("location")).toBe(`${stack.url}/`);
});
