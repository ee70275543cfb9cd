import { randomFillSync, randomUUID } from "node:crypto";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;

/** The client's request id when it is a sane one, or a new one. */
export function requestIdOf(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : randomUUID();
}

/** Continues the client's trace (or starts one) with the BFF as the parent of its upstream calls. */
export function childTraceparent(incoming: string | undefined): string {
  const match = incoming ? TRACEPARENT.exec(incoming) : null;
  const traceId = match?.[1] ?? randomHex(16);
  const flags = match?.[2] ?? "01";
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

/** Random ids from a pooled buffer: one system call per 512 span ids, not one per id. */
const pool = Buffer.allocUnsafe(4096);
let poolAt = pool.length;
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.toString("hex", poolAt - bytes, poolAt);
}
