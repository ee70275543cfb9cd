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
});
