import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { ErrorCode } from "../errors/bff-errors";

/** One accepted notification (contract README, "Webhooks"). */
export interface WebhookEvent {
  readonly service: string;
  /** `webhook-id`: unique per message, the same on every redelivery. */
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Acts on one event. Must be idempotent (delivery is at-least-once, in any order). Throw
 * MalformedEventError for data it cannot use (400); anything else thrown is answered 503 and
 * forgotten, so the sender's redelivery runs it again.
 */
export type WebhookHandler = (event: WebhookEvent) => Promise<void>;

/** Remembers message ids, so a replayed message is answered 2xx and has no effect. */
export interface WebhookInbox {
  /** True the first time (service, id) is seen. */
  claimMessage(service: string, id: string, now: number): Promise<boolean>;
  forgetMessage(service: string, id: string): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** Every secret (`whsec_...`) that may sign this service's messages: several during a rotation, none to refuse it. */
  readonly secretsFor: (service: string) => readonly string[];
  readonly handlers: Readonly<Record<string, WebhookHandler>>;
  readonly inbox: WebhookInbox;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
}

export class MalformedEventError extends Error {}

const PATH = /^\/webhooks\/([a-z][a-z0-9-]*)\/?(?:\?.*)?$/;

/** True for requests the receiver answers: `POST /webhooks/<service>`. */
export const isWebhookRequest = (req: IncomingMessage): boolean => PATH.test(req.url ?? "");

/**
 * The Standard Webhooks receiver, node-native so any server can mount it:
 * 401 for a bad signature or a timestamp more than 5 minutes away (the library's tolerance),
 * 400 for a malformed message, 2xx for a replayed `webhook-id` (no effect), 2xx once handled.
 * Dispatches by service; adding a service is adding a handler and its secret.
 */
export function webhookReceiver(
  options: WebhookReceiverOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const verifiers = new Map<string, Webhook>();
  const verifier = (secret: string): Webhook => {
    let found = verifiers.get(secret);
    if (!found) verifiers.set(secret, (found = new Webhook(secret)));
    return found;
  };
  const maxBytes = options.maxBodyBytes ?? 256 * 1024;

  return async (req, res) => {
    const service = PATH.exec(req.url ?? "")?.[1] ?? "";
    const log = options.logger.child({ webhook: service, webhookId: header(req, "webhook-id") ?? null });
    const answer = (status: number, body: object): void => {
      res
        .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify(body));
      if (status >= 400) log.info({ status, ...body }, "webhook refused");
    };
    if (req.method !== "POST") return answer(405, { code: ErrorCode.BadRequest, message: "webhooks are POSTed" });
    const handler = options.handlers[service];
    const secrets = handler ? options.secretsFor(service) : [];
    if (!handler || secrets.length === 0)
      return answer(404, { code: ErrorCode.NotFound, message: `no webhooks are configured for "${service}"` });

    const body = await readBody(req, maxBytes);
    if (body === null)
      return answer(413, { code: ErrorCode.PayloadTooLarge, message: `a webhook body is at most ${maxBytes} bytes` });
    const id = header(req, "webhook-id");
    const timestamp = header(req, "webhook-timestamp");
    const signature = header(req, "webhook-signature");
    if (!id || !timestamp || !signature)
      return answer(400, {
        code: ErrorCode.BadRequest,
        message: "webhook-id, webhook-timestamp and webhook-signature are required",
      });

    const refusal = verify(secrets.map(verifier), body, {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": signature,
    });
    if (refusal) return answer(401, { code: ErrorCode.Unauthenticated, message: refusal });

    const event = parseEvent(service, id, body);
    if (typeof event === "string") return answer(400, { code: ErrorCode.BadRequest, message: event });
    if (!(await options.inbox.claimMessage(service, id, Date.now()))) return answer(200, { status: "duplicate" });
    try {
      await handler(event);
      log.info({ type: event.type }, "webhook handled");
      return answer(200, { status: "accepted" });
    } catch (error) {
      await options.inbox.forgetMessage(service, id).catch(() => undefined);
      if (error instanceof MalformedEventError)
        return answer(400, { code: ErrorCode.BadRequest, message: error.message });
      log.warn({ err: error }, "webhook not processed; the sender retries");
      return answer(503, { code: ErrorCode.Internal, message: "not processed yet; deliver it again later" });
    }
  };
}

/** Null when one of the secrets verifies the signature; otherwise why not. */
function verify(verifiers: readonly Webhook[], body: Buffer, headers: Record<string, string>): string | null {
  let reason = "no signature matches";
  for (const candidate of verifiers) {
    try {
      candidate.verify(body, headers, { jsonParse: false });
      return null;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (/timestamp|Signature Headers/i.test(error.message))
        return "the webhook-timestamp is invalid or more than 5 minutes away";
      reason = "no signature matches";
    }
  }
  return reason;
}

function parseEvent(service: string, id: string, body: Buffer): WebhookEvent | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return "the body is not JSON";
  }
  const value = parsed as { type?: unknown; timestamp?: unknown; data?: unknown } | null;
  if (
    typeof value !== "object" ||
    value === null ||
    typeof value.type !== "string" ||
    typeof value.data !== "object" ||
    value.data === null ||
    Array.isArray(value.data)
  ) {
    return 'the body must be {"type": string, "timestamp": string, "data": object}';
  }
  return {
    service,
    id,
    type: value.type,
    timestamp: typeof value.timestamp === "string" ? value.timestamp : "",
    data: value.data as Record<string, unknown>,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The raw body (signatures cover its exact bytes), or null when it is larger than `max`. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
