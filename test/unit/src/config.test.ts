import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, parseConfig } from "../../../src/config";
import { DEV_JWT_SECRET } from "../../../src/config/jwt-config";
import { serviceEnv } from "../../support/services";

describe("parseConfig", () => {
  test("an empty environment is a working development setup with demo upstreams", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ port: 4000, production: false, upstreamUrls: null, redisUrl: null });
    expect(config.jwt.secret).toBe(DEV_JWT_SECRET);
    expect(config.apiKeys.catalog).toBe("dev-catalog-key");
    expect(config.upstreamTimeoutMs.orders).toBe(2000);
  });

  test("all upstream URLs switch off the demo upstreams", () => {
    const env = serviceEnv((_, i) => ({ URL: `http://svc-${i}.internal:80/` }));
    expect(parseConfig(env).upstreamUrls).toMatchObject({
      catalog: "http://svc-0.internal",
      payments: "http://svc-5.internal",
    });
  });

  test("reports every problem at once, and bad numbers fail instead of becoming NaN", () => {
    const attempt = () =>
      parseConfig({
        PORT: "abc",
        CATALOG_URL: "http://c",
        ORDERS_TIMEOUT_MS: "-5",
        JWT_SECRET: "short",
        REDIS_URL: "::",
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining("PORT"),
          expect.stringContaining("set all 6 upstream URLs"),
          expect.stringContaining("ORDERS_TIMEOUT_MS"),
          expect.stringContaining("JWT_SECRET"),
          expect.stringContaining("REDIS_URL"),
        ]),
      );
      expect(problems).toHaveLength(5);
    }
  });

  test("production refuses development defaults", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(
      /6 upstream URLs \(CATALOG_URL, INVENTORY_URL, [\s\S]*CATALOG_API_KEY is required in production[\s\S]*JWT_JWKS_URL[\s\S]*JWT_ISSUER/,
    );
  });

  test("rate limits: a token bucket per kind of caller, Shopify's numbers for customers", () => {
    expect(parseConfig({}).rateLimits).toEqual({
      anonymous: { size: 800, restorePerSecond: 20 },
      customer: { size: 1_000, restorePerSecond: 50 },
      admin: { size: 5_000, restorePerSecond: 250 },
    });
    expect(
      parseConfig({ RATE_LIMIT_ADMIN_BUCKET_SIZE: "20000", RATE_LIMIT_ANONYMOUS_RESTORE_RATE: "5" }).rateLimits,
    ).toMatchObject({
      anonymous: { size: 800, restorePerSecond: 5 },
      admin: { size: 20_000, restorePerSecond: 250 },
    });
  });

  test("bad bucket numbers and the retired fixed-window variables are reported, all at once", () => {
    let problems: string[] = [];
    try {
      parseConfig({
        RATE_LIMIT_CUSTOMER_BUCKET_SIZE: "ten",
        RATE_LIMIT_CUSTOMER_RESTORE_RATE: "0",
        RATE_LIMIT_WINDOW_SECONDS: "60",
        TRUST_PROXY: "10.0.0.0/40",
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^RATE_LIMIT_WINDOW_SECONDS is no longer read/),
      'RATE_LIMIT_CUSTOMER_BUCKET_SIZE must be an integer in 1..100000000, got "ten"',
      'RATE_LIMIT_CUSTOMER_RESTORE_RATE must be an integer in 1..10000000, got "0"',
      expect.stringMatching(/^TRUST_PROXY must be true, false, a number of hops/),
    ]);
  });

  test("TRUST_PROXY as Express reads trust proxy", () => {
    expect(parseConfig({}).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toEqual(["loopback", "10.0.0.0/8"]);
  });

  test("LOG_LEVEL, NODE_ENV, the store, drain, rate-limit fallback and breaker settings are validated with the rest", () => {
    const attempt = () =>
      parseConfig({
        LOG_LEVEL: "verbose",
        NODE_ENV: "prod",
        STORE_TIMEOUT_MS: "0",
        RATE_LIMIT_FALLBACK: "maybe",
        RATE_LIMIT_LOCAL_SHARE: "2",
        DRAIN_GRACE_MS: "-1",
        CATALOG_BREAKER_THRESHOLD: "1",
        CATALOG_BREAKER_WINDOW: "20",
        REVIEWS_RETRY_BUDGET: "0",
        STORE_NAMESPACE: "a b",
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        expect.stringContaining("CATALOG_BREAKER_WINDOW is no longer read"),
        'NODE_ENV must be one of production, development, test, got "prod"',
        expect.stringContaining("STORE_NAMESPACE"),
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
        'CATALOG_BREAKER_THRESHOLD must be a number in (0, 1), got "1"',
        expect.stringContaining("REVIEWS_RETRY_BUDGET"),
        expect.stringContaining("RATE_LIMIT_FALLBACK"),
        expect.stringContaining("RATE_LIMIT_LOCAL_SHARE"),
        expect.stringContaining("STORE_TIMEOUT_MS"),
        expect.stringContaining("DRAIN_GRACE_MS"),
      ]);
    }
  });

  test("the documented defaults of degraded mode, drain, breaker and retry budget", () => {
    const config = parseConfig({});
    expect(config.store).toEqual({ timeoutMs: 50, retryMs: 250 });
    expect(config.drain).toEqual({ graceMs: 5_000, timeoutMs: 20_000 });
    expect(config.rateLimitFallback).toEqual({ mode: "local", localShare: 1 });
    expect(config.resilience.catalog).toMatchObject({
      retries: 4,
      retryBudget: 0.5,
      retryReserve: 100,
      retryDelayMs: 25,
      retryMaxDelayMs: 500,
      breakerThreshold: 0.5,
      breakerWindowMs: 10_000,
      breakerMinCalls: 50,
      halfOpenAfterMs: 5_000,
    });
  });

  test("checkout: SQLite under data/ by default, PostgreSQL with DATABASE_URL, bounds in milliseconds", () => {
    expect(parseConfig({}).checkout).toEqual({
      databaseUrl: null,
      dbPath: "data/checkout.sqlite",
      leaseMs: 30_000,
      recoveryAfterMs: 60_000,
      recoveryIntervalMs: 15_000,
      abandonAfterMs: 300_000,
      recoveryBatch: 20,
      crashAt: null,
    });
    const config = parseConfig({
      DATABASE_URL: "postgresql://bff@db:5432/bff",
      CHECKOUT_DB_PATH: "/var/lib/bff/j.sqlite",
      CHECKOUT_RECOVERY_AFTER_MS: "0",
    });
    expect(config.checkout).toMatchObject({
      databaseUrl: "postgresql://bff@db:5432/bff",
      dbPath: "/var/lib/bff/j.sqlite",
      recoveryAfterMs: 0,
    });
  });

  test("checkout settings are validated with the rest: a non-PostgreSQL DATABASE_URL, bad numbers, an unknown crash point", () => {
    let problems: string[] = [];
    try {
      parseConfig({ DATABASE_URL: "mysql://db/x", CHECKOUT_LEASE_MS: "0", CHECKOUT_CRASH_AT: "charge:during" });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringContaining("DATABASE_URL must be a postgres"),
      expect.stringContaining("CHECKOUT_CRASH_AT must be <step>:<before|after>"),
      expect.stringContaining("CHECKOUT_LEASE_MS"),
    ]);
  });

  test("the crash hook is for tests: parsed in development, ignored in production", () => {
    expect(parseConfig({ CHECKOUT_CRASH_AT: "charge:after" }).checkout.crashAt).toEqual({
      step: "charge",
      phase: "after",
    });
    const production = serviceEnv((s) => ({ URL: `http://${s}.internal`, API_KEY: "k" }));
    expect(
      parseConfig({
        ...production,
        NODE_ENV: "production",
        JWT_SECRET: "x".repeat(32),
        JWT_ISSUER: "i",
        JWT_AUDIENCE: "a",
        CHECKOUT_CRASH_AT: "charge:after",
      }).checkout.crashAt,
    ).toBeNull();
  });
});

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
