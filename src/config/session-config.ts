// Part of parseConfig (src/config.ts): the variables of browser sessions and the OpenID Connect
// provider. It reads only the `env` it is handed, as parseConfig does.
import type { SecretSpec } from "../secrets/secret-source";
import type { Env } from "./env-readers";

/** Browser sessions: the OAuth BFF pattern (docs/clients/auth.md). */
export interface SessionConfig {
  readonly oidc: {
    /** The provider's issuer URL (discovery). Null: development starts the demo provider; production turns sessions off. */
    readonly issuerUrl: string | null;
    readonly clientId: string;
    readonly clientSecret: SecretSpec;
    /** `/auth/callback` as the provider knows it. Null (development only): derived from the request's Host. */
    readonly redirectUri: string | null;
    /** Where the provider sends the browser after signing out. Null: `/` of the BFF. */
    readonly postLogoutRedirectUri: string | null;
    readonly scope: string;
  };
  /** Seals the session cookie (A256GCM); a `_FILE` secret rotates, the previous one opens cookies during the window. */
  readonly secret: SecretSpec;
  /** `Secure` and the `__Host-` prefix (production; browsers refuse both over plain http). */
  readonly cookieSecure: boolean;
  readonly cookieName: string;
  /** A session's absolute lifetime, in ms: then the user signs in again. */
  readonly ttlMs: number;
  /** Access tokens are refreshed this long before they expire, in ms. */
  readonly refreshSkewMs: number;
  /** Origins (besides the BFF's own) whose cookie-authenticated requests are accepted. */
  readonly allowedOrigins: readonly string[];
  /** Port of the demo identity provider `npm start` runs in development. */
  readonly demoIdpPort: number;
}

export const DEV_SESSION_SECRET = "storefront-dev-session-secret-not-for-production";
export const DEV_OIDC_CLIENT_ID = "storefront-bff";
export const DEV_OIDC_CLIENT_SECRET = "storefront-dev-oidc-client-secret";

interface Helpers {
  readonly int: (name: string, fallback: number, min: number, max: number) => number;
  readonly url: (name: string) => string | null;
  readonly secret: (name: string) => SecretSpec | null;
  readonly problems: string[];
}

export function parseAuthConfig(env: Env, production: boolean, { int, url, secret, problems }: Helpers): SessionConfig {
  const issuerUrl = url("OIDC_ISSUER_URL");
  const redirectUri = url("OIDC_REDIRECT_URI");
  const clientSecret = secret("OIDC_CLIENT_SECRET");
  const sessionSecret = secret("SESSION_SECRET");
  if (sessionSecret && "value" in sessionSecret && sessionSecret.value.length < 32)
    problems.push("SESSION_SECRET must be at least 32 characters");
  if (production && issuerUrl) {
    const missing = [
      !env.OIDC_CLIENT_ID && "OIDC_CLIENT_ID",
      !clientSecret && "OIDC_CLIENT_SECRET",
      !redirectUri && "OIDC_REDIRECT_URI",
      !sessionSecret && "SESSION_SECRET",
    ].filter(Boolean);
    if (missing.length > 0)
      problems.push(`browser sessions (OIDC_ISSUER_URL) need ${missing.join(", ")} in production`);
  }
  const secure = env.SESSION_COOKIE_SECURE;
  if (secure !== undefined && secure !== "" && secure !== "true" && secure !== "false")
    problems.push(`SESSION_COOKIE_SECURE must be true or false, got "${secure}"`);
  const cookieSecure = secure === "true" || (production && secure !== "false");
  if (production && !cookieSecure && issuerUrl) problems.push("SESSION_COOKIE_SECURE=false is refused in production");
  const allowedOrigins: string[] = [];
  for (const raw of (env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)) {
    try {
      const origin = new URL(raw).origin;
      if (origin === "null") throw new Error("opaque");
      allowedOrigins.push(origin);
    } catch {
      problems.push(`ALLOWED_ORIGINS: "${raw}" is not an origin (scheme://host[:port])`);
    }
  }
  return {
    oidc: {
      issuerUrl,
      clientId: env.OIDC_CLIENT_ID || DEV_OIDC_CLIENT_ID,
      clientSecret: clientSecret ?? { value: DEV_OIDC_CLIENT_SECRET },
      redirectUri,
      postLogoutRedirectUri: url("OIDC_POST_LOGOUT_REDIRECT_URI"),
      scope: env.OIDC_SCOPES || "openid profile offline_access",
    },
    secret: sessionSecret ?? { value: DEV_SESSION_SECRET },
    cookieSecure,
    // Browsers accept a __Host- cookie only with Secure (and from a secure origin); plain-http development uses a plain name.
    cookieName: cookieSecure ? "__Host-bff-session" : "bff-session",
    ttlMs: int("SESSION_TTL_SECONDS", 8 * 3_600, 60, 30 * 86_400) * 1000,
    refreshSkewMs: int("SESSION_REFRESH_SKEW_SECONDS", 60, 0, 3_600) * 1000,
    allowedOrigins,
    demoIdpPort: int("DEMO_IDP_PORT", 4_007, 0, 65_535),
  };
}
