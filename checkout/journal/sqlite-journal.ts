import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { CheckoutData, CheckoutRecord, StepRecord } from "../model";
import type { CheckoutFilter, CheckoutJournal, JournalWrite } from "../ports";
import { RECEIVED_STEP, STEP_COLUMNS, stepValues, TERMINAL_SQL, toRecord, toStep, type Row } from "./rows";
import { MIGRATIONS } from "./schema";

/**
 * The journal in an embedded SQLite file (better-sqlite3), the default: nothing to install.
 * Several processes may share the file (WAL, busy timeout); every multi-statement change is one
 * transaction, and leases are taken by a single conditional UPDATE, so they are atomic across them.
 */
export class SqliteJournal implements CheckoutJournal {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.migrate();
  }

  private migrate(): void {
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS checkout_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    );
    this.db
      .transaction(() => {
        const applied = new Set(
          (this.db.prepare("SELECT version FROM checkout_migrations").all() as Row[]).map((r) => Number(r.version)),
        );
        for (const migration of MIGRATIONS.filter((m) => !applied.has(m.version))) {
          this.db.exec(migration.sql("sqlite"));
          this.db
            .prepare("INSERT INTO checkout_migrations (version, name, applied_at) VALUES (?, ?, ?)")
            .run(migration.version, migration.name, Date.now());
        }
      })
      .immediate();
  }

  async open(
    record: { id: string; userId: string; idempotencyKey: string; data: CheckoutData },
    now: number,
  ): Promise<CheckoutRecord> {
    this.db
      .transaction(() => {
        const created = this.db
          .prepare(
            `INSERT INTO checkouts (id, user_id, idempotency_key, state, data, created_at, updated_at) VALUES (?, ?, ?, 'RECEIVED', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          )
          .run(record.id, record.userId, record.idempotencyKey, JSON.stringify(record.data), now, now).changes;
        if (created) this.db.prepare(RECEIVED_STEP).run(record.id, now);
      })
      .immediate();
    return (await this.get(record.id)) as CheckoutRecord;
  }

  async get(id: string): Promise<CheckoutRecord | null> {
    const row = this.db.prepare("SELECT * FROM checkouts WHERE id = ?").get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  async lease(id: string, owner: string, now: number, leaseMs: number): Promise<CheckoutRecord | null> {
    const row = this.db
      .prepare(
        "UPDATE checkouts SET lease_owner = ?, lease_until = ? WHERE id = ? AND (lease_owner IS NULL OR lease_until < ?) RETURNING *",
      )
      .get(owner, now + leaseMs, id, now) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  async write(id: string, owner: string, write: JournalWrite, now: number, leaseMs: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        const changed = this.db
          .prepare(
            "UPDATE checkouts SET state = ?, data = ?, updated_at = ?, lease_until = ? WHERE id = ? AND lease_owner = ?",
          )
          .run(write.state, JSON.stringify(write.data), now, now + leaseMs, id, owner).changes;
        if (changed === 0) return false;
        this.db
          .prepare(`INSERT INTO checkout_steps (${STEP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(...stepValues(id, write.step, owner, now));
        return true;
      })
      .immediate();
  }

  async release(id: string, owner: string): Promise<void> {
    this.db
      .prepare("UPDATE checkouts SET lease_owner = NULL, lease_until = 0 WHERE id = ? AND lease_owner = ?")
      .run(id, owner);
  }

  async claimStale(
    owner: string,
    olderThan: number,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<CheckoutRecord[]> {
    // One statement under SQLite's write lock: two processes never claim the same row.
    const rows = this.db
      .prepare(
        `UPDATE checkouts SET lease_owner = ?, lease_until = ? WHERE id IN (
        SELECT id FROM checkouts WHERE state NOT IN (${TERMINAL_SQL}) AND updated_at <= ? AND (lease_owner IS NULL OR lease_until < ?)
        ORDER BY updated_at LIMIT ?) RETURNING *`,
      )
      .all(owner, now + leaseMs, olderThan, now, limit) as Row[];
    return rows.map(toRecord).sort((a, b) => a.updatedAt - b.updatedAt);
  }

  async steps(id: string): Promise<StepRecord[]> {
    return (this.db.prepare("SELECT * FROM checkout_steps WHERE checkout_id = ? ORDER BY seq").all(id) as Row[]).map(
      toStep,
    );
  }

  async list(filter: CheckoutFilter): Promise<CheckoutRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM checkouts WHERE (? IS NULL OR state = ?) AND (? IS NULL OR user_id = ?) ORDER BY created_at DESC, id LIMIT ?`,
      )
      .all(
        filter.state ?? null,
        filter.state ?? null,
        filter.userId ?? null,
        filter.userId ?? null,
        filter.limit,
      ) as Row[];
    return rows.map(toRecord);
  }

  /** Webhook inbox: true the first time a message id is seen. */
  async claimMessage(service: string, id: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare("INSERT INTO webhook_messages (service, id, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .run(service, id, now).changes === 1
    );
  }

  async forgetMessage(service: string, id: string): Promise<void> {
    this.db.prepare("DELETE FROM webhook_messages WHERE service = ? AND id = ?").run(service, id);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
