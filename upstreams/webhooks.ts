import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Webhook } from "standardwebhooks";

/** Where a demo service sends its notifications, and the `whsec_...` secret it signs them with. */
export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
}

export interface Delivery {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** Status of each attempt (0: no answer). */
  readonly attempts: number[];
}

const PERMANENT = new Set([400, 401, 404, 413]);

/**
 * Standard Webhooks sender (contract README, "Webhooks"): signs `<id>.<timestamp>.<body>`, and
 * retries with exponential backoff until the receiver answers 2xx or refuses for good (400, 401,
 * 404, 413). At-least-once: the same `webhook-id` on every attempt.
 */
export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private target: WebhookTarget | null,
    private readonly options: { attempts: number; initialDelayMs: number; maxDelayMs: number } = {
      attempts: 8,
      initialDelayMs: 50,
      maxDelayMs: 5_000,
    },
  ) {}

  setTarget(target: WebhookTarget | null): void {
    this.target = target;
  }

  /** Queues one notification (no-op without a target). */
  send(type: string, data: Record<string, unknown>): void {
    const target = this.target;
    if (!target) return;
    const delivery: Delivery = { id: `msg_${randomUUID()}`, type, data, attempts: [] };
    this.deliveries.push(delivery);
    const running = this.deliver(target, delivery).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Resolves once every queued notification was delivered or given up. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(target: WebhookTarget, delivery: Delivery): Promise<void> {
    const body = JSON.stringify({ type: delivery.type, timestamp: new Date().toISOString(), data: delivery.data });
    const signer = new Webhook(target.secret);
    for (let attempt = 0; attempt < this.options.attempts; attempt++) {
      if (attempt > 0) await sleep(Math.min(this.options.initialDelayMs * 2 ** (attempt - 1), this.options.maxDelayMs));
      const now = new Date();
      const status = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": delivery.id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": signer.sign(delivery.id, now, body),
        },
        body,
      }).then(
        async (res) => {
          await res.arrayBuffer();
          return res.status;
        },
        () => 0,
      );
      delivery.attempts.push(status);
      if ((status >= 200 && status < 300) || PERMANENT.has(status)) return;
    }
  }
}

/** Tells the BFF of a change (a no-op when no BFF listens). */
export type Notify = (type: string, data: Record<string, unknown>) => void;
