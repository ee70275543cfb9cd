// The OAuth BFF pattern end to end, in real headless Chromium against the demo identity provider:
// sign in, MyOrders with the cookie, a refresh, CSRF refusals, sign out, an expired session.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { DEV_SESSION_SECRET } from "../../src/config/session-config";
import { CookieSealer } from "../../src/auth/sessions/sealed-cookie";
import type { SessionData } from "../../src/auth/sessions/session-data";
import { staticSecret } from "../../src/secrets/secret-source";
import { DEMO_USERS, startIdentityProvider, type IdentityProvider } from "../../upstreams/identity-provider";
import { describeWithChromium, launchBrowser } from "../support/browser";
import { FakeClock } from "../support/clock";
import { loadOperations } from "../support/operations";
import { startStack, type Json, type Stack } from "../support/stack";

jest.setTimeout(60_000); // a real browser on a shared 2-core machine: generous, never a timing assertion

const COOKIE = "__Host-bff-session";
const ACCESS_TOKEN_TTL_S = 120;
const SESSION_TTL_S = 600;
const MY_ORDERS = loadOperations().MyOrders as string;

let idp: IdentityProvider;
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let page: Page;
let attacker: Server;
let attackerUrl: string;
const [customer, admin] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];

async function signIn(user: { id: string; password: string }): Promise<Json> {
  await page.goto(`${stack.url}/auth/login?returnTo=/auth/session`);
  expect(page.url()).toContain(`${idp.issuer}/interaction/`);
  await page.fill("input[name=login]", user.id);
  await page.fill("input[name=password]", user.password);
  await Promise.all([page.waitForURL(`${stack.url}/auth/session`), page.click("button[type=submit]")]);
  return JSON.parse((await page.textContent("body")) ?? "{}") as Json;
}

const sessionCookie = async () => (await context.cookies(stack.url)).find((c) => c.name === COOKIE);

/** POSTs MyOrders from the BFF's own page, as the web dashboard does: the cookie is all it has. */
function myOrders(): Promise<{ status: number; body: Json }> {
  return page.evaluate(`fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: ${JSON.stringify(MY_ORDERS)}, variables: { first: 3 } }) })
    .then(async (r) => ({ status: r.status, body: await r.json() }))`) as Promise<{ status: number; body: Json }>;
}

describeWithChromium("browser sessions (OAuth BFF pattern) in headless Chromium", () => {
  beforeAll(async () => {
    idp = await startIdentityProvider({
      clientId: "storefront-bff",
      clientSecret: "storefront-dev-oidc-client-secret",
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_S,
    });
    // Production cookie flags (Secure, __Host-) over http://127.0.0.1: Chromium treats loopback as a secure context.
    stack = await startStack({
      oidcIssuerUrl: idp.issuer,
      clock: new FakeClock(Date.now()),
      env: {
        SESSION_COOKIE_SECURE: "true",
        SESSION_TTL_SECONDS: String(SESSION_TTL_S),
        SESSION_REFRESH_SKEW_SECONDS: "60",
      },
    });
    attacker = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!DOCTYPE html><title>elsewhere</title>");
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    context = browser.context;
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await idp?.close();
    await new Promise((resolve) => attacker?.close(resolve));
  });

  test("sign in with the authorization code flow: an HttpOnly, Secure, SameSite=Lax __Host- cookie and no token in the browser", async () => {
    const session = await signIn(customer);
    expect(session).toEqual({
      authenticated: true,
      user: { id: "u-0001", role: "customer", name: "Demo Customer" },
      expiresAt: expect.any(String),
    });
    const cookie = await sessionCookie();
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/", domain: "127.0.0.1" });
    expect(await page.evaluate("document.cookie")).not.toContain(COOKIE); // no script on the page can read it
    // The cookie is sealed: it opens only with the BFF's secret, and holds tokens the browser never sees in the clear.
    const sealed = await new CookieSealer(
      staticSecret(DEV_SESSION_SECRET),
      "session-cookie",
      stack.clock.now,
    ).open<SessionData>(cookie?.value ?? "");
    expect(sealed?.at).toEqual(expect.any(String));
    expect(cookie?.value).not.toContain(sealed?.at);
    const pageText = JSON.stringify(session);
    for (const token of [sealed?.at, sealed?.rt, sealed?.idt]) expect(pageText).not.toContain(token);
    expect(idp.grants.authorization_code).toBe(1);
  });

  test("MyOrders runs with the cookie alone, as the signed-in user", async () => {
    stack.upstreams.reset();
    const { status, body } = await myOrders();
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.me.id).toBe("u-0001");
    expect(stack.upstreams.services.orders.calls[0]?.headers["x-user-id"]).toBe("u-0001");
  });

  test("the access token is refreshed on the server shortly before it expires: one refresh for concurrent requests, a renewed cookie", async () => {
    const before = (await sessionCookie())?.value;
    stack.clock.advance((ACCESS_TOKEN_TTL_S - 60 + 1) * 1000); // inside the refresh skew
    const results = (await page.evaluate(
      `Promise.all([1, 2, 3].map(() => fetch("/auth/session").then((r) => r.status)))`,
    )) as number[];
    expect(results).toEqual([200, 200, 200]);
    expect(idp.grants.refresh_token).toBe(1);
    const after = (await sessionCookie())?.value;
    expect(after).not.toBe(before);
    const { body } = await myOrders(); // the renewed session goes on working, with no further refresh
    expect(body.data.me.id).toBe("u-0001");
    expect(idp.grants.refresh_token).toBe(1);
  });

  test("a cross-origin form post with the cookie is refused, and so is a cross-origin fetch", async () => {
    stack.upstreams.reset();
    const other = await context.newPage();
    await other.goto(attackerUrl); // same site (127.0.0.1), another origin: SameSite=Lax still sends the cookie
    const refused = other.waitForResponse((r) => r.url().startsWith(`${stack.url}/graphql`));
    await other.evaluate(`(() => { const f = document.createElement("form"); f.method = "POST"; f.action = ${JSON.stringify(`${stack.url}/graphql`)};
      f.enctype = "text/plain"; const i = document.createElement("input"); i.name = '{"query":"{ me { id } }","x":"'; i.value = '"}';
      f.appendChild(i); document.body.appendChild(f); f.submit(); })()`);
    const response = await refused;
    expect(response.request().headers().cookie ?? (await response.request().allHeaders()).cookie).toContain(COOKIE);
    expect(response.status()).toBe(400); // a simple request: refused before GraphQL runs (CSRF prevention)
    expect(await response.text()).toContain("Cross-Site Request Forgery");
    const script = await context.newPage();
    await script.goto(attackerUrl);
    const outcome =
      await script.evaluate(`fetch(${JSON.stringify(`${stack.url}/graphql`)}, { method: "POST", credentials: "include",
      headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ me { id orders(first: 1) { nodes { id } } } }" }) })
      .then((r) => "answered " + r.status, (e) => "refused: " + e.message)`);
    expect(outcome).toMatch(/^refused/);
    await other.close();
    await script.close();
    expect(stack.upstreams.services.orders.calls).toHaveLength(0); // neither reached an upstream
  });

  test("the origin check: with the cookie, a foreign Origin or none at all is 403; the BFF's own origin is served", async () => {
    const cookie = `${COOKIE}=${(await sessionCookie())?.value}`;
    const post = (headers: Record<string, string>) =>
      fetch(`${stack.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, ...headers },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
    const foreign = await post({ origin: attackerUrl });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as Json).errors[0].extensions.code).toBe("FORBIDDEN");
    expect((await post({})).status).toBe(403);
    const own = await post({ origin: stack.url });
    expect(((await own.json()) as Json).data.me.id).toBe("u-0001");
  });

  test("the session needs no server state: another replica (or this one restarted) serves the same cookie", async () => {
    const replica = await stack.replica();
    try {
      const res = await fetch(`${replica.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: replica.url,
          cookie: `${COOKIE}=${(await sessionCookie())?.value}`,
        },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
      expect(((await res.json()) as Json).data.me.id).toBe("u-0001");
    } finally {
      await replica.close();
    }
  });

  test("a tampered cookie gets 401", async () => {
    const value = (await sessionCookie())?.value ?? "";
    const tampered = value.slice(0, -6) + (value.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
    const res = await fetch(`${stack.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url, cookie: `${COOKIE}=${tampered}` },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  test("sign out: the cookie is cleared, the refresh token revoked, the provider's session ended", async () => {
    await page.goto(`${stack.url}/auth/session`);
    await page.evaluate(
      `(() => { const f = document.createElement("form"); f.method = "POST"; f.action = "/auth/logout"; document.body.appendChild(f); f.submit(); })()`,
    );
    await page.waitForURL(`${idp.issuer}/session/end**`);
    await Promise.all([page.waitForURL(`${stack.url}/`), page.click("#sign-out")]);
    expect(await sessionCookie()).toBeUndefined();
    expect(idp.revocations.count).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(`fetch("/auth/session").then((r) => r.json())`)).toEqual({ authenticated: false });
    // The provider's session is gone too: signing in again asks for the password.
    await page.goto(`${stack.url}/auth/login`);
    expect(page.url()).toContain(`${idp.issuer}/interaction/`);
  });

  test("an admin signs in; once the session's lifetime is over, the cookie gets 401", async () => {
    expect((await signIn(admin)).user).toEqual({ id: "u-0050", role: "admin", name: "Demo Admin" });
    stack.clock.advance((SESSION_TTL_S + 1) * 1000);
    const { status, body } = await myOrders();
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(await sessionCookie()).toBeUndefined(); // cleared with the 401
  });
});
