import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import type { DataSources } from "../datasources";
import type { Viewer } from "./auth/viewer";
import type { CheckoutService } from "../checkout/service";
import type { Context, PartialError, RequestOutcome, StaleNotice } from "./context";
import type { ExplainRecorder } from "./telemetry/explain";
import type { RequestTrace } from "./telemetry/tracing";

/**
 * The request's deadline, made on first use: most requests are answered from cache and never
 * need a signal, a timer or a listener. It ends at `endsAt` or when the client hangs up.
 */
export class RequestDeadline {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private aborted = false;

  constructor(
    private readonly endsAt: number,
    clientGone: AbortSignal | undefined,
  ) {
    clientGone?.addEventListener("abort", () => this.abort(), { once: true });
  }

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = (this.controller = new AbortController());
    setMaxListeners(1_000, controller.signal); // one abort listener per upstream call in flight: many is normal, not a leak
    if (this.aborted) controller.abort();
    else {
      this.timer = setTimeout(() => controller.abort(), Math.max(0, this.endsAt - performance.now()));
      this.timer.unref();
    }
    return controller.signal;
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }

  /** The response is written: nothing of the deadline outlives the request. */
  end(): void {
    clearTimeout(this.timer);
  }
}

/** What a context makes on first use; shared by Apollo's shallow copy of the context and the original. */
export interface LazyParts {
  readonly deadline: RequestDeadline;
  readonly dataSources: () => DataSources;
  readonly log: () => Logger;
}

/**
 * The context's lazy parts are getters on the prototype, not on the object: Apollo copies the
 * context per operation (Object.assign), which would otherwise call every getter at once.
 */
export class RequestContext implements Context {
  declare readonly requestId: string;
  declare readonly viewer: Viewer | null;
  declare readonly clientIp: string;
  declare readonly compensationSources: () => DataSources;
  declare readonly upstreamCalls: { count: number };
  declare readonly staleServed: StaleNotice[];
  declare readonly partialErrors: PartialError[];
  declare readonly checkouts: CheckoutService;
  declare readonly authDecisions: Map<string, true | Error>;
  declare readonly trace: RequestTrace | null;
  declare readonly explain: ExplainRecorder | null;
  declare readonly outcome: RequestOutcome;

  constructor(
    fields: Omit<Context, "deadline" | "dataSources" | "log">,
    private readonly lazy: LazyParts,
  ) {
    Object.assign(this, fields);
  }

  get deadline(): AbortSignal {
    return this.lazy.deadline.signal;
  }

  get dataSources(): DataSources {
    return this.lazy.dataSources();
  }

  get log(): Logger {
    return this.lazy.log();
  }

  /** For endContext. */
  end(clientGone: boolean): void {
    if (clientGone) this.lazy.deadline.abort();
    this.lazy.deadline.end();
  }
}
