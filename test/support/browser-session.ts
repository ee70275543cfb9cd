// The OAuth BFF pattern in real headless Chromium against the demo identity provider: the BFF, the
// provider, a page of another origin and the browser, shared by the browser session tests.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { DEMO_USERS } from "../../upstreams/demo-users";
import { startIdentityProvider, type IdentityProvider } from "../../upstreams/identity-provider";
import { launchBrowser } from "./browser";
import { FakeClock } from "./clock";
import { loadOperations } from "./operations";
import { startStack, type Json, type Stack } from "./stack";

export const COOKIE = "__Host-bff-session";
export const ACCESS_TOKEN_TTL_S = 120;
export const SESSION_TTL_S = 600;
const MY_ORDERS = loadOperations().MyOrders as string;

export interface BrowserSession {
  idp: IdentityProvider;
  stack: Stack;
  context: BrowserContext;
  page: Page;
  attackerUrl: string;
}

export const [customer, admin] = DEMO_USERS as [(typeof DEMO_USERS)[number], (typeof DEMO_USERS)[number]];

/**
 * Starts the provider, the BFF, the page of another origin and the browser before all tests of the
 * enclosing describe, and stops them after; the returned object is filled in by then.
 */
export function useBrowserSession(): BrowserSession {
  const session = {} as BrowserSession;
  let attacker: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    session.idp = await startIdentityProvider({
      clientId: "storefront-bff",
      clientSecret: "storefront-dev-oidc-client-secret",
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_S,
    });
    // Production cookie flags (Secure, __Host-) over http://127.0.0.1: Chromium treats loopback as a secure context.
    session.stack = await startStack({
      oidcIssuerUrl: session.idp.issuer,
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
    session.attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    session.context = browser.context;
    session.page = await session.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await session.stack?.close();
    await session.idp?.close();
    await new Promise((resolve) => attacker?.close(resolve));
  });
  return session;
}

export async function signIn(
  { page, stack, idp }: BrowserSession,
  user: { id: string; password: string },
): Promise<Json> {
  await page.goto(`${stack.url}/auth/login?returnTo=/auth/session`);
  expect(page.url()).toContain(`${idp.issuer}/interaction/`);
  await page.fill("input[name=login]", user.id);
  await page.fill("input[name=password]", user.password);
  await Promise.all([page.waitForURL(`${stack.url}/auth/session`), page.click("button[type=submit]")]);
  return JSON.parse((await page.textContent("body")) ?? "{}") as Json;
}

export const sessionCookie = async ({ context, stack }: BrowserSession) =>
  (await context.cookies(stack.url)).find((c) => c.name === COOKIE);

/** POSTs MyOrders from the BFF's own page, as the web dashboard does: the cookie is all it has. */
export function myOrders({ page }: BrowserSession): Promise<{ status: number; body: Json }> {
  return page.evaluate(`fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: ${JSON.stringify(MY_ORDERS)}, variables: { first: 3 } }) })
    .then(async (r) => ({ status: r.status, body: await r.json() }))`) as Promise<{ status: number; body: Json }>;
}
