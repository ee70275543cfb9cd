import { type ConfigError, parseConfig } from "../../../src/config";
import { serviceEnv } from "../../support/services";

describe("parseConfig: checkout", () => {
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
