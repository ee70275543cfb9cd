import type { CheckoutRecord, CheckoutState, StepRecord, StepStatus } from "../model";
import type { JournalWrite } from "../ports";
import { TERMINAL_STATES } from "../model";

/** A row as either driver returns it (PostgreSQL answers BIGINT as a string). */
export type Row = Record<string, unknown>;

export const TERMINAL_SQL = TERMINAL_STATES.map((s) => `'${s}'`).join(", ");

export const toRecord = (row: Row): CheckoutRecord => ({
  id: String(row.id),
  userId: String(row.user_id),
  idempotencyKey: String(row.idempotency_key),
  state: row.state as CheckoutState,
  data: JSON.parse(String(row.data)) as CheckoutRecord["data"],
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  leaseOwner: row.lease_owner === null || row.lease_owner === undefined ? null : String(row.lease_owner),
  leaseUntil: Number(row.lease_until),
});

export const toStep = (row: Row): StepRecord => ({
  seq: Number(row.seq),
  name: String(row.name),
  line: row.line === null ? null : String(row.line),
  status: row.status as StepStatus,
  idempotencyKey: row.idempotency_key === null ? null : String(row.idempotency_key),
  upstreamIds: JSON.parse(String(row.upstream_ids)) as string[],
  detail: row.detail === null ? null : String(row.detail),
  actor: String(row.actor),
  at: Number(row.at),
});

/** The first audit line of every checkout (SQLite placeholders: id, time). */
export const RECEIVED_STEP =
  "INSERT INTO checkout_steps (checkout_id, name, status, upstream_ids, actor, at) VALUES (?, 'received', 'SUCCEEDED', '[]', 'client', ?)";

/** The columns of an audit line a journal write adds, in the order of `stepValues`. */
export const STEP_COLUMNS = "checkout_id, name, line, status, idempotency_key, upstream_ids, detail, actor, at";

/** The values of that line (what `toStep` reads back): the step, by `actor` at `at`. */
export const stepValues = (checkoutId: string, step: JournalWrite["step"], actor: string, at: number): unknown[] => [
  checkoutId,
  step.name,
  step.line,
  step.status,
  step.idempotencyKey,
  JSON.stringify(step.upstreamIds),
  step.detail,
  actor,
  at,
];
