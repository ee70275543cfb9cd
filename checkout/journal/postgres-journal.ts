import { Pool, type PoolClient } from "pg";
import type { CheckoutData, CheckoutRecord, StepRecord } from "../model";
import type { CheckoutFilter, CheckoutJournal, JournalWrite } from "../ports";
import { STEP_COLUMNS, stepValues, TERMINAL_SQL, toRecord, toStep, type Row } from "./rows";
import { MIGRATIONS } from "./schema";

/** Serialises migrations of replicas starting at once (a transaction-scoped advisory lock). */
const MIGRATION_LOCK = 7_311_011;

/**
 * The journal in PostgreSQL (DATABASE_URL), shared by replicas. Leases are conditional UPDATEs
 * (row locks make them atomic); recovery claims with FOR UPDATE SKIP LOCKED, so two replicas
 * recovering at once never take the same checkout.
 */
export class PostgresJournal implements CheckoutJournal {
  private constructor(private readonly pool: Pool) {}

  static async connect(url: string, onError: (error: Error) => void): Promise<PostgresJournal> {
    const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
    pool.on("error", onError); // an idle client lost: the pool replaces it
    const journal = new PostgresJournal(pool);
    await journal.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(
        "CREATE TABLE IF NOT EXISTS checkout_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
      );
      const applied = new Set(
        (await client.query("SELECT version FROM checkout_migrations")).rows.map((r: Row) => Number(r.version)),
      );
      for (const migration of MIGRATIONS.filter((m) => !applied.has(m.version))) {
        await client.query(migration.sql("postgres"));
        await client.query("INSERT INTO checkout_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
          migration.version,
          migration.name,
          Date.now(),
        ]);
      }
    });
    return journal;
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async open(
    record: { id: string; userId: string; idempotencyKey: string; data: CheckoutData },
    now: number,
  ): Promise<CheckoutRecord> {
    await this.transaction(async (client) => {
      const created = await client.query(
        `INSERT INTO checkouts (id, user_id, idempotency_key, state, data, created_at, updated_at) VALUES ($1, $2, $3, 'RECEIVED', $4, $5, $5) ON CONFLICT (id) DO NOTHING`,
        [record.id, record.userId, record.idempotencyKey, JSON.stringify(record.data), now],
      );
      if (created.rowCount) {
        await client.query(
          "INSERT INTO checkout_steps (checkout_id, name, status, upstream_ids, actor, at) VALUES ($1, 'received', 'SUCCEEDED', '[]', 'client', $2)",
          [record.id, now],
        );
      }
    });
    return (await this.get(record.id)) as CheckoutRecord;
  }

  async get(id: string): Promise<CheckoutRecord | null> {
    const { rows } = await this.pool.query("SELECT * FROM checkouts WHERE id = $1", [id]);
    return rows[0] ? toRecord(rows[0] as Row) : null;
  }

  async lease(id: string, owner: string, now: number, leaseMs: number): Promise<CheckoutRecord | null> {
    const { rows } = await this.pool.query(
      "UPDATE checkouts SET lease_owner = $1, lease_until = $2 WHERE id = $3 AND (lease_owner IS NULL OR lease_until < $4) RETURNING *",
      [owner, now + leaseMs, id, now],
    );
    return rows[0] ? toRecord(rows[0] as Row) : null;
  }

  async write(id: string, owner: string, write: JournalWrite, now: number, leaseMs: number): Promise<boolean> {
    return this.transaction(async (client) => {
      const updated = await client.query(
        "UPDATE checkouts SET state = $1, data = $2, updated_at = $3, lease_until = $4 WHERE id = $5 AND lease_owner = $6",
        [write.state, JSON.stringify(write.data), now, now + leaseMs, id, owner],
      );
      if (!updated.rowCount) return false;
      await client.query(
        `INSERT INTO checkout_steps (${STEP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        stepValues(id, write.step, owner, now),
      );
      return true;
    });
  }

  async release(id: string, owner: string): Promise<void> {
    await this.pool.query(
      "UPDATE checkouts SET lease_owner = NULL, lease_until = 0 WHERE id = $1 AND lease_owner = $2",
      [id, owner],
    );
  }

  async claimStale(
    owner: string,
    olderThan: number,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<CheckoutRecord[]> {
    const { rows } = await this.pool.query(
      `
      WITH stale AS (
        SELECT id FROM checkouts
        WHERE state NOT IN (${TERMINAL_SQL}) AND updated_at <= $1 AND (lease_owner IS NULL OR lease_until < $2)
        ORDER BY updated_at LIMIT $3
        FOR UPDATE SKIP LOCKED)
      UPDATE checkouts SET lease_owner = $4, lease_until = $5 FROM stale WHERE checkouts.id = stale.id RETURNING checkouts.*`,
      [olderThan, now, limit, owner, now + leaseMs],
    );
    return (rows as Row[]).map(toRecord).sort((a, b) => a.updatedAt - b.updatedAt);
  }

  async steps(id: string): Promise<StepRecord[]> {
    const { rows } = await this.pool.query("SELECT * FROM checkout_steps WHERE checkout_id = $1 ORDER BY seq", [id]);
    return (rows as Row[]).map(toStep);
  }

  async list(filter: CheckoutFilter): Promise<CheckoutRecord[]> {
    const { rows } = await this.pool.query(
      "SELECT * FROM checkouts WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR user_id = $2) ORDER BY created_at DESC, id LIMIT $3",
      [filter.state ?? null, filter.userId ?? null, filter.limit],
    );
    return (rows as Row[]).map(toRecord);
  }

  async claimMessage(service: string, id: string, now: number): Promise<boolean> {
    const result = await this.pool.query(
      "INSERT INTO webhook_messages (service, id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [service, id, now],
    );
    return result.rowCount === 1;
  }

  async forgetMessage(service: string, id: string): Promise<void> {
    await this.pool.query("DELETE FROM webhook_messages WHERE service = $1 AND id = $2", [service, id]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
