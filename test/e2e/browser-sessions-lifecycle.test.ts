// The OAuth BFF pattern end to end, in real headless Chromium against the demo identity provider:
// sign in, MyOrders with the cookie, a refresh, sign out, an expired session.
import type { Page } from "playwright-core";
import { DEV_SESSION_SECRET } from "../../src/config/session-config";
import { CookieSealer } from "../../src/auth/sessions/sealed-cookie";
import type { SessionData } from "../../src/auth/sessions/session-data";
import { staticSecret } from "../../src/secrets/secret-source";
import type { IdentityProvider } from "../../upstreams/identity-provider";
import { describeWithChromium } from "../support/browser";
import {
  ACCESS_TOKEN_TTL_S,
  admin,
  COOKIE,
  customer,
  myOrders as myOrdersOf,
  sessionCookie as cookieOf,
  SESSION_TTL_S,
  signIn as signInAs,
  useBrowserSession,
} from "../support/browser-session";
import type { Stack } from "../support/stack";

jest.setTimeout(60_000); // a real browser on a shared 2-core machine: generous, never a timing assertion

describeWithChromium("browser sessions (OAuth BFF pattern) in headless Chromium", () => {
  const session = useBrowserSession();
  let idp: IdentityProvider;
  let stack: Stack;
  let page: Page;
  beforeAll(() => ({ idp, stack, page } = session));
  const signIn = (user: { id: string; password: string }) => signInAs(session, user);
  const sessionCookie = () => cookieOf(session);
  const myOrders = () => myOrdersOf(session);

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
