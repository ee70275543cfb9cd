// The demo identity provider (OpenID Connect, `oidc-provider` 7): what `npm start` runs in
// development beside the demo upstreams, and what the browser tests sign in against. Its users
// (demo-users.ts) are accounts of the demo accounts service; ID tokens carry `sub` (the user id) and `role`.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Provider, type AdapterConstructor, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { DEMO_USERS } from "./demo-users";
import { escapeHtml, interaction, logoutSource, page } from "./identity-provider-pages";

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
