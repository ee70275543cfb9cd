/**
 * The journal's migrations, in order, for both databases (their SQL differs only where noted).
 * A migration is applied once, recorded in checkout_migrations; never edit one that shipped,
 * add the next. Times are epoch milliseconds (BIGINT).
 */
export const MIGRATIONS: ReadonlyArray<{
  readonly version: number;
  readonly name: string;
  readonly sql: (dialect: "sqlite" | "postgres") => string;
}> = [
  {
    version: 1,
    name: "checkouts, their steps, webhook messages",
    sql: (dialect) => `
      CREATE TABLE checkouts (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        state TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT NOT NULL DEFAULT 0
      );
      CREATE INDEX checkouts_unfinished ON checkouts (updated_at) WHERE state NOT IN ('COMPLETED', 'FAILED', 'CANCELLED');
      CREATE INDEX checkouts_by_user ON checkouts (user_id, created_at);
      CREATE TABLE checkout_steps (
        checkout_id TEXT NOT NULL REFERENCES checkouts (id),
        seq ${dialect === "postgres" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
        name TEXT NOT NULL,
        line TEXT,
        status TEXT NOT NULL,
        idempotency_key TEXT,
        upstream_ids TEXT NOT NULL,
        detail TEXT,
        actor TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX checkout_steps_by_checkout ON checkout_steps (checkout_id, seq);
      CREATE TABLE webhook_messages (
        service TEXT NOT NULL,
        id TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (service, id)
      );`,
  },
];
