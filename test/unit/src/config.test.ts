import { ConfigError, DEV_JWT_SECRET, parseConfig } from "../../../src/config";

describe("parseConfig", () => {
  test("an empty environment is a working development setup with demo upstreams", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ port: 4000, production: false, upstreamUrls: null, redisUrl: null });
    expect(config.jwt.secret).toBe(DEV_JWT_SECRET);
    expect(config.apiKeys.catalog).toBe("dev-catalog-key");
    expect(config.upstreamTimeoutMs.orders).toBe(2000);
  });

  test("all six upstream URLs switch off the demo upstreams", () => {
    const env = Object.fromEntries(["CATALOG", "INVENTORY", "REVIEWS", "ACCOUNTS", "ORDERS", "PAYMENTS"].map((s, i) => [`${s}_URL`, `http://svc-${i}.internal:80/`]));
    expect(parseConfig(env).upstreamUrls).toMatchObject({ catalog: "http://svc-0.internal", payments: "http://svc-5.internal" });
  });

  test("reports every problem at once, and bad numbers fail instead of becoming NaN", () => {
    const attempt = () => parseConfig({ PORT: "abc", CATALOG_URL: "http://c", ORDERS_TIMEOUT_MS: "-5", JWT_SECRET: "short", REDIS_URL: "::" });
    expect(attempt).toThrow(ConfigError);
    try { attempt(); } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toEqual(expect.arrayContaining([
        expect.stringContaining("PORT"), expect.stringContaining("set all six upstream URLs"),
        expect.stringContaining("ORDERS_TIMEOUT_MS"), expect.stringContaining("JWT_SECRET"), expect.stringContaining("REDIS_URL"),
      ]));
      expect(problems).toHaveLength(5);
    }
  });

  test("production refuses development defaults", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(/six upstream URLs[\s\S]*CATALOG_API_KEY is required in production[\s\S]*JWT_JWKS_URL[\s\S]*JWT_ISSUER/);
  });
});
