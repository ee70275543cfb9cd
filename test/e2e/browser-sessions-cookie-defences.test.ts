// The OAuth BFF pattern in real headless Chromium: a signed-in session's cookie is refused to other
// origins (CSRF), needs no server state, and is refused when tampered with.
import type { BrowserContext } from "playwright-core";
import { describeWithChromium } from "../support/browser";
import {
  COOKIE,
  customer,
  sessionCookie as cookieOf,
  signIn as signInAs,
  useBrowserSession,
} from "../support/browser-session";
import type { Json, Stack } from "../support/stack";

jest.setTimeout(60_000); // a real browser on a shared 2-core machine: generous, never a timing assertion

describeWithChromium("browser sessions (OAuth BFF pattern) in headless Chromium", () => {
  const session = useBrowserSession();
  let stack: Stack;
  let context: BrowserContext;
  let attackerUrl: string;
  beforeAll(() => ({ stack, context, attackerUrl } = session));
  const signIn = (user: { id: string; password: string }) => signInAs(session, user);
  const sessionCookie = () => cookieOf(session);

  beforeAll(() => signIn(customer));

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
});
