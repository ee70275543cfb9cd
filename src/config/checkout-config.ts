// Part of parseConfig (src/config.ts): the checkout journal and its recovery (docs/maintainers/checkout.md).
import type { EnvReaders } from "./env-readers";

/** The checkout journal and its recovery (docs/maintainers/checkout.md). */
export interface CheckoutConfig {
  /** PostgreSQL shared by replicas; null: the embedded SQLite file at `dbPath`. */
  readonly databaseUrl: string | null;
  readonly dbPath: string;
  /** How long a process holds a checkout it drives without writing to its journal. */
  readonly leaseMs: number;
  /** Recovery takes over unfinished checkouts not written for this long. */
  readonly recoveryAfterMs: number;
  /** Pause between recovery passes (one runs at start); 0 runs only the one at start. */
  readonly recoveryIntervalMs: number;
  /** An unpaid checkout this old turns back (refund, release) instead of waiting for orders. */
  readonly abandonAfterMs: number;
  /** Checkouts one recovery claim takes at a time. */
  readonly recoveryBatch: number;
  /** Test only (never in production): the process kills itself with SIGKILL at this step boundary. */
  readonly crashAt: { readonly step: string; readonly phase: "before" | "after" } | null;
}

/** The step names CHECKOUT_CRASH_AT accepts: every upstream write of checkout/. */
export const CHECKOUT_WRITE_STEPS = [
  "reserve",
  "charge",
  "create_order",
  "mark_paid",
  "commit",
  "release",
  "refund",
  "cancel_order",
] as const;

/** DATABASE_URL and CHECKOUT_CRASH_AT, which parseConfig checks before the settings read one by one. */
export interface CheckoutPrechecks {
  readonly databaseUrl: string | null;
  /** The crash point asked for, in any mode (checkoutConfig drops it in production). */
  readonly crashAt: CheckoutConfig["crashAt"];
}

export function checkoutPrechecks({ env, url, problems }: EnvReaders): CheckoutPrechecks {
  const databaseUrl = url("DATABASE_URL");
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push(`DATABASE_URL must be a postgres:// or postgresql:// URL`);
  const crashRaw = env.CHECKOUT_CRASH_AT;
  const crashMatch = crashRaw ? /^([a-z_]+):(before|after)$/.exec(crashRaw) : null;
  if (crashRaw && (!crashMatch || !(CHECKOUT_WRITE_STEPS as readonly string[]).includes(crashMatch[1] as string))) {
    problems.push(
      `CHECKOUT_CRASH_AT must be <step>:<before|after> with a step of ${CHECKOUT_WRITE_STEPS.join(", ")}, got "${crashRaw}"`,
    );
  }
  return {
    databaseUrl,
    crashAt: crashMatch ? { step: crashMatch[1] as string, phase: crashMatch[2] as "before" | "after" } : null,
  };
}

export function checkoutConfig(
  { env, int }: EnvReaders,
  production: boolean,
  { databaseUrl, crashAt }: CheckoutPrechecks,
): CheckoutConfig {
  return {
    databaseUrl,
    dbPath: env.CHECKOUT_DB_PATH || "data/checkout.sqlite",
    leaseMs: int("CHECKOUT_LEASE_MS", 30_000, 1, 3_600_000),
    recoveryAfterMs: int("CHECKOUT_RECOVERY_AFTER_MS", 60_000, 0, 86_400_000),
    recoveryIntervalMs: int("CHECKOUT_RECOVERY_INTERVAL_MS", 15_000, 0, 86_400_000),
    abandonAfterMs: int("CHECKOUT_ABANDON_AFTER_MS", 300_000, 1, 86_400_000),
    recoveryBatch: int("CHECKOUT_RECOVERY_BATCH", 20, 1, 1_000),
    // The production path ignores the crash hook whatever the environment says.
    crashAt: crashAt && !production ? crashAt : null,
  };
}
