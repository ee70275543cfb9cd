import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../../src/config";

describe("parseConfig: credentials, secrets and sessions", () => {
  const dir = mkdtempSync(join(tmpdir(), "bff-config-"));
  const file = (name: string, content: string): string => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a key from a file (a mounted secret) is read at start, trimmed, and watched from then on", () => {
    const config = parseConfig({ CATALOG_API_KEY_FILE: file("catalog-key", "from-file\n") });
    expect(config.apiKeys.catalog).toBe("from-file");
    expect(config.credentials.catalog.apiKey).toEqual({ file: join(dir, "catalog-key") });
  });

  test("mTLS and client credentials are per service; incomplete settings are all reported", () => {
    const cert = file("cert.pem", "CERT");
    const config = parseConfig({
      ORDERS_TLS_CA_FILE: file("ca.pem", "CA"),
      ORDERS_TLS_CERT_FILE: cert,
      ORDERS_TLS_KEY_FILE: file("key.pem", "KEY"),
      PAYMENTS_OAUTH_TOKEN_URL: "http://idp.internal/token",
      PAYMENTS_OAUTH_CLIENT_ID: "bff",
      PAYMENTS_OAUTH_CLIENT_SECRET: "s3cret",
      PAYMENTS_OAUTH_SCOPE: "payments:write",
    });
    expect(config.credentials.orders.tls).toEqual({
      caFile: join(dir, "ca.pem"),
      certFile: cert,
      keyFile: join(dir, "key.pem"),
    });
    expect(config.credentials.payments.oauth).toEqual({
      tokenUrl: "http://idp.internal/token",
      clientId: "bff",
      clientSecret: { value: "s3cret" },
      scope: "payments:write",
    });
    expect(config.credentials.catalog).toEqual({ apiKey: { value: "dev-catalog-key" }, tls: null, oauth: null });
    expect(() =>
      parseConfig({
        CATALOG_TLS_CERT_FILE: cert,
        REVIEWS_OAUTH_CLIENT_ID: "bff",
        ACCOUNTS_API_KEY: "a",
        ACCOUNTS_API_KEY_FILE: cert,
        ORDERS_WEBHOOK_SECRET_FILE: join(dir, "missing"),
      }),
    ).toThrow(
      /CATALOG_TLS_CERT_FILE and CATALOG_TLS_KEY_FILE go together[\s\S]*REVIEWS_OAUTH_TOKEN_URL[\s\S]*ACCOUNTS_API_KEY or ACCOUNTS_API_KEY_FILE, not both[\s\S]*ORDERS_WEBHOOK_SECRET_FILE: ENOENT/,
    );
  });

  test("development sessions use a plain cookie name over http; Secure brings the __Host- prefix", () => {
    expect(parseConfig({}).sessions).toMatchObject({
      cookieSecure: false,
      cookieName: "bff-session",
      oidc: { issuerUrl: null },
    });
    expect(parseConfig({ SESSION_COOKIE_SECURE: "true" }).sessions).toMatchObject({
      cookieSecure: true,
      cookieName: "__Host-bff-session",
    });
    expect(() =>
      parseConfig({ SESSION_COOKIE_SECURE: "yes", SESSION_SECRET: "short", ALLOWED_ORIGINS: "not a url" }),
    ).toThrow(
      /SESSION_SECRET must be at least 32[\s\S]*SESSION_COOKIE_SECURE must be true or false[\s\S]*ALLOWED_ORIGINS/,
    );
    expect(
      parseConfig({ ALLOWED_ORIGINS: "https://shop.example/, https://admin.example:8443" }).sessions.allowedOrigins,
    ).toEqual(["https://shop.example", "https://admin.example:8443"]);
  });

  test("production sessions need the client, its secret, the redirect URI and a session secret", () => {
    expect(() => parseConfig({ NODE_ENV: "production", OIDC_ISSUER_URL: "https://idp.example" })).toThrow(
      /browser sessions \(OIDC_ISSUER_URL\) need OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, SESSION_SECRET in production/,
    );
  });
});
