import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Provider, type AdapterConstructor, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/**
 * The demo identity provider (OpenID Connect, `oidc-provider` 7): what `npm start` runs in
 * development beside the demo upstreams, and what the browser tests sign in against. Its users
 * are accounts of the demo accounts service; ID tokens carry `sub` (the user id) and `role`.
 */
export interface DemoUser {
  readonly id: string;
  readonly password: string;
  readonly role: "customer" | "admin";
  readonly name: string;
}

/** u-0001 is a customer and u-0050 (every 50th user) an admin in upstreams/seed.ts. */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: "u-0001", password: "customer-password", role: "customer", name: "Demo Customer" },
  { id: "u-0050", password: "admin-password", role: "admin", name: "Demo Admin" },
];

export interface IdentityProviderOptions {
  readonly port?: number;
  readonly host?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Access token lifetime, in seconds (tests make it short to see refreshes). */
  readonly accessTokenTtlSeconds?: number;
}

export interface IdentityProvider {
  readonly issuer: string;
  /** Token endpoint grants served, by grant type (`authorization_code`, `refresh_token`). */
  readonly grants: Record<string, number>;
  /** Refresh tokens revoked (at sign-out). */
  readonly revocations: { count: number };
  close(): Promise<void>;
}

// The provider's own in-memory store (demo sessions and grants do not survive a restart); a subclass, so it does not warn.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DemoAdapter = class extends (require("oidc-provider/lib/adapters/memory_adapter") as AdapterConstructor) {};

// Development only: any loopback BFF may use the demo client (the BFF's port is not known in advance).
const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//;

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer();
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const issuer = `http://${host === "0.0.0.0" ? "localhost" : host}:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, configuration(options));
  const client = provider.Client.prototype as unknown as {
    redirectUriAllowed(uri: string): boolean;
    postLogoutRedirectUriAllowed(uri: string): boolean;
  };
  client.redirectUriAllowed = (uri) => LOOPBACK.test(uri) && new URL(uri).pathname === "/auth/callback";
  client.postLogoutRedirectUriAllowed = (uri) => LOOPBACK.test(uri);

  const grants: Record<string, number> = {};
  const revocations = { count: 0 };
  provider.on("grant.success", (ctx: KoaContextWithOIDC) => {
    const type = String(ctx.oidc.params?.grant_type ?? "unknown");
    grants[type] = (grants[type] ?? 0) + 1;
  });
  provider.on("refresh_token.destroyed", () => {
    revocations.count += 1;
  });
  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (req.url?.startsWith("/interaction/"))
      void interaction(provider, req, res).catch((error: Error) =>
        page(res, 400, "Sign-in failed", escapeHtml(error.message)),
      );
    else callback(req, res);
  });

  return {
    issuer,
    grants,
    revocations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy());
      }),
  };
}

function configuration(options: IdentityProviderOptions): Configuration {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    adapter: DemoAdapter,
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: ["http://localhost:4000/auth/callback"],
        post_logout_redirect_uris: ["http://localhost:4000/"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: {
      keys: [{ ...privateKey.export({ format: "jwk" }), kid: "demo", use: "sig", alg: "RS256" }],
    } as Configuration["jwks"],
    cookies: { keys: ["storefront-demo-idp-cookie-key"] },
    claims: { openid: ["sub"], profile: ["name", "role"] },
    conformIdTokenClaims: false, // role and name in the ID token: the BFF's viewer comes from it
    pkce: { required: () => true, methods: ["S256"] },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    // The first-party client: a refresh token without the consent prompt offline_access would need.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 300,
      IdToken: 3_600,
      RefreshToken: 8 * 3_600,
      Interaction: 600,
      Session: 8 * 3_600,
      Grant: 8 * 3_600,
    },
    // First-party: no consent screen; the grant covers what the BFF asked for.
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const clientId = ctx.oidc.client?.clientId;
      if (!session?.accountId || !clientId) return undefined;
      const existing = session.grantIdFor(clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: session.accountId });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? "openid"));
      await grant.save();
      session.grantIdFor(clientId, grant.jti);
      return grant;
    },
    findAccount: (_ctx, sub) => {
      const user = DEMO_USERS.find((u) => u.id === sub);
      return user
        ? { accountId: user.id, claims: async () => ({ sub: user.id, role: user.role, name: user.name }) }
        : undefined;
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = `<!DOCTYPE html><title>Error</title><h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ""))}</p>`;
    },
  };
}

/** The login form, and its submission: a demo user's id and password. */
async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    page(
      res,
      200,
      "Sign in to the storefront",
      `<form method="post" action="/interaction/${details.uid}">
      <label>User id <input name="login" autocomplete="username" autofocus></label>
      <label>Password <input name="password" type="password" autocomplete="current-password"></label>
      <button type="submit">Sign in</button></form>`,
    );
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const user = DEMO_USERS.find((u) => u.id === form.get("login") && u.password === form.get("password"));
  if (!user) {
    page(
      res,
      401,
      "Sign in to the storefront",
      `<p role="alert">Wrong user id or password.</p><a href="/interaction/${details.uid}">Try again</a>`,
    );
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.body = `<!DOCTYPE html><title>Sign out</title><h1>Sign out of the storefront?</h1>${form}
    <button id="sign-out" type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`;
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error("form too large");
  }
  return body;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
