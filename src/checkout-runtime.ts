import { randomBytes, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type * as PostgresJournalModule from "../checkout/journal/postgres-journal";
import { SqliteJournal } from "../checkout/journal/sqlite-journal";
import { PAYMENT_EVENT_TYPES, type PaymentEvent } from "../checkout/payment-events";
import type { BoundaryHook, CheckoutJournal } from "../checkout/ports";
import { CheckoutService, type RecoveryReport, type SourcesFor } from "../checkout/service";
import { createDataSources, type DataSourceDeps } from "../datasources";
import type { Config } from "./config";
import { SERVICE_NAMES, type ServiceName } from "./services";
import { MalformedEventError, webhookReceiver, type WebhookHandler, type WebhookInbox } from "./webhooks/receiver";

/** Checkout's process-wide pieces: the journal, the service, recovery, and the webhook receiver of every service (`otherHandlers`: the events of services other than payments). */
export interface CheckoutRuntime {
  readonly service: CheckoutService;
  readonly journal: CheckoutJournal;
  /** `POST /webhooks/<service>` (node-native: mount it on any server). */
  readonly webhooks: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** One recovery pass now; passes never overlap within a process. */
  recover(): Promise<RecoveryReport>;
  close(): Promise<void>;
}

/** Opens the journal (PostgreSQL with DATABASE_URL, else SQLite), runs a recovery pass at start and then periodically. */
export async function startCheckout(
  config: Config,
  deps: DataSourceDeps,
  secretsFor: (service: ServiceName) => readonly string[],
  logger: Logger,
  otherHandlers: Readonly<Record<string, WebhookHandler>> = {},
): Promise<CheckoutRuntime> {
  const settings = config.checkout;
  const log = logger.child({ component: "checkout" });
  const journal: CheckoutJournal & WebhookInbox = settings.databaseUrl
    ? await postgresJournal().connect(settings.databaseUrl, (error) =>
        log.warn({ err: error }, "checkout database connection error"),
      )
    : new SqliteJournal(settings.dbPath);
  const crash = settings.crashAt;
  const onBoundary: BoundaryHook = crash
    ? (step, phase) => {
        if (step === crash.step && phase === crash.phase) process.kill(process.pid, "SIGKILL");
      }
    : () => undefined;
  const service = new CheckoutService({
    journal,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseMs: settings.leaseMs,
    abandonAfterMs: settings.abandonAfterMs,
    now: Date.now,
    onBoundary,
    waitMs: config.requestDeadlineMs,
    recoveryAfterMs: settings.recoveryAfterMs,
    recoveryBatch: settings.recoveryBatch,
    log,
  });

  // No client request carries recovery's and webhooks' calls: each checkout gets datasources of its own.
  const sourcesFor: SourcesFor = (userId) => {
    const caller = (deadlineMs: number) => ({
      requestId: `checkout-${randomUUID()}`,
      traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`,
      userId,
      calls: { count: 0 },
      deadline: AbortSignal.timeout(deadlineMs),
      observer: null, // no request to trace or explain
    });
    const none = () => undefined;
    return {
      sources: createDataSources(deps, caller(config.requestDeadlineMs), none),
      undo: createDataSources(deps, caller(config.compensationDeadlineMs), none),
    };
  };

  let running: Promise<RecoveryReport> | null = null;
  const recover = (): Promise<RecoveryReport> => {
    running ??= service
      .recover(sourcesFor)
      .catch((error: unknown) => {
        log.error({ err: error }, "checkout recovery pass failed");
        return { claimed: 0, finished: 0, waiting: 0 };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void recover().then((report) => log.info({ ...report, atStart: true }, "checkout recovery pass"));
  const timer =
    settings.recoveryIntervalMs > 0
      ? setInterval(
          () =>
            void recover().then((report) => {
              if (report.claimed > 0) log.info(report, "checkout recovery pass");
            }),
          settings.recoveryIntervalMs,
        ).unref()
      : null;

  const webhooks = webhookReceiver({
    secretsFor: (name) => ((SERVICE_NAMES as readonly string[]).includes(name) ? secretsFor(name as ServiceName) : []),
    inbox: journal,
    logger,
    handlers: {
      ...otherHandlers, // the other services' events (cache invalidation)
      payments: async (event) => {
        if (!PAYMENT_EVENT_TYPES.includes(event.type as PaymentEvent["type"])) return; // not one checkout acts on
        const { id, reference } = event.data;
        if (typeof id !== "string" || typeof reference !== "string")
          throw new MalformedEventError('payment events carry {"id", "reference"}');
        const done = await service.onPaymentEvent(
          { type: event.type as PaymentEvent["type"], paymentId: id, reference },
          sourcesFor,
        );
        if (!done) throw new Error(`checkout ${reference} is busy`);
      },
    },
  });

  return {
    service,
    journal,
    webhooks,
    recover,
    close: async () => {
      if (timer) clearInterval(timer);
      await running;
      await journal.close();
    },
  };
}

/** `pg` is loaded only when checkout's journal is in PostgreSQL (DATABASE_URL): most single-replica set-ups never need it. */
function postgresJournal(): typeof PostgresJournalModule.PostgresJournal {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy: pg is loaded only with DATABASE_URL
  return (require("../checkout/journal/postgres-journal") as typeof PostgresJournalModule).PostgresJournal;
}
