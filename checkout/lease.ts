import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { isTerminal, type CheckoutRecord } from "./model";
import type { CheckoutJournal } from "./ports";

/** A journal write refused because the checkout's lease passed to another process. */
export class LeaseLostError extends Error {
  constructor(id: string) {
    super(`checkout ${id}: its lease passed to another process`);
  }
}

/** What taking and giving back a lease needs: the checkout service's options. */
export interface LeaseOptions {
  readonly journal: CheckoutJournal;
  readonly leaseMs: number;
  readonly now: () => number;
  /** How long a call waits for a checkout another process is driving before it answers in_progress. */
  readonly waitMs: number;
  readonly log: Logger;
}

/**
 * Takes the checkout's lease as `token`, waiting (bounded, with backoff) while another process holds it.
 * A terminal record without the lease means it finished meanwhile; null: still busy; undefined: unknown id.
 */
export async function acquireLease(
  options: LeaseOptions,
  id: string,
  token: string,
): Promise<CheckoutRecord | null | undefined> {
  const { journal, leaseMs, now } = options;
  const deadline = now() + options.waitMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const leased = await journal.lease(id, token, now(), leaseMs);
    if (leased) return leased;
    const current = await journal.get(id);
    if (!current) return undefined;
    if (isTerminal(current.state)) return { ...current, leaseOwner: null };
    if (now() + pause > deadline) return null;
    await sleep(pause);
  }
}

/** Gives the lease back; a failure is logged only (the lease expires on its own). */
export async function releaseLease(options: LeaseOptions, record: CheckoutRecord): Promise<void> {
  await options.journal.release(record.id, record.leaseOwner as string).catch((error: unknown) => {
    options.log.warn({ err: error, checkout: record.id }, "checkout lease not released; it expires on its own");
  });
}
