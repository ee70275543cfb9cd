import type { Logger } from "pino";
import { createDataSources, type DataSourceDeps, type DataSources } from "../datasources";
import type { StaleListener } from "./cache/cache-lookup";
import type { TokenVerifier } from "./auth/token-verifier";
import type { Viewer } from "./auth/viewer";
import type { CheckoutService } from "../checkout/service";
import { childTraceparent, requestIdOf } from "./http/request-ids";
import { ExplainRecorder } from "./telemetry/explain";
import { explainedListener, explainedSources } from "./telemetry/explained-sources";
import { bothObservers } from "./telemetry/observe";
import { RequestContext, RequestDeadline, type LazyParts } from "./request-context";
import type { RequestTrace } from "./telemetry/tracing";

/** An upstream answered from a stale cache entry because it failed: reported in the response's extensions. */
export interface StaleNotice {
  readonly service: string;
  readonly ageSeconds: number;
}

/** A failure reported beside data that still resolved (a non-null list served empty, say). */
export interface PartialError {
  readonly error: unknown;
  readonly path: ReadonlyArray<string | number>;
}

/**
 * What a request turned out to be, for the layers outside Apollo: the HTTP handler keeps a
 * public answer to a query in its edge cache with the cost that serving it again must charge.
 */
export interface RequestOutcome {
  operationName: string | null;
  /** The operation is a query (never a mutation or subscription). */
  query: boolean;
  /** What the query-limits plugin charged, and what the answer really cost. */
  cost?: { readonly requested: number; readonly actual: number | undefined };
  /** The answer is the same for every caller: public, without errors, none of it served stale. */
  shareable?: boolean;
}

/** What every resolver of one request sees. Created per request; nothing in it outlives the request. */
export interface Context {
  readonly requestId: string;
  readonly viewer: Viewer | null;
  readonly clientIp: string;
  /** Aborts when the request's deadline passes or the client hangs up. */
  readonly deadline: AbortSignal;
  readonly dataSources: DataSources;
  /**
   * Datasources whose calls are bound by their own deadline, not the client's: for undoing
   * checkout steps, which must run even when the client's deadline is spent or it hung up.
   */
  readonly compensationSources: () => DataSources;
  /** Upstream HTTP calls made for this request so far (for logs and tests). */
  readonly upstreamCalls: { count: number };
  readonly staleServed: StaleNotice[];
  /** Errors to add to the response for fields that resolved to a fallback; see resolvers/shared/degrade.ts. */
  readonly partialErrors: PartialError[];
  /** The checkout application service (process-wide; its journal is shared by replicas). */
  readonly checkouts: CheckoutService;
  /** The process logger, bound to this request's id. */
  readonly log: Logger;
  /**
   * Authorization decisions that do not depend on the object (role rules), by field
   * coordinate: made once per field and request, not once per item of a list.
   */
  readonly authDecisions: Map<string, true | Error>;
  /** This request's spans, when tracing is configured (else null). */
  readonly trace: RequestTrace | null;
  /** What this request asked of its upstreams, when it asked for explain (else null: nothing is recorded). */
  readonly explain: ExplainRecorder | null;
  /** Filled in by the plugins as the request runs (shared by Apollo's copy of the context). */
  readonly outcome: RequestOutcome;
}

export interface ContextDeps extends DataSourceDeps {
  readonly verifier: TokenVerifier;
  readonly requestDeadlineMs: number;
  readonly compensationDeadlineMs: number;
  readonly checkouts: CheckoutService;
  readonly logger: Logger;
}

/** What the BFF reads of an incoming request: an allowlist of headers, and the client's address. */
export interface RequestHeaders {
  readonly authorization?: string;
  readonly requestId?: string;
  readonly traceparent?: string;
}

export interface IncomingRequest {
  readonly headers: RequestHeaders;
  /** The client's IP (behind TRUST_PROXY hops): the rate-limit key of anonymous callers. */
  readonly clientIp: string;
  /** Aborts when the client hangs up. */
  readonly clientGone?: AbortSignal;
  /** The viewer, when an earlier step already verified the token. */
  readonly verified?: Viewer | null;
  /** The request span, started when the request arrived (tracing on). */
  readonly trace?: RequestTrace | null;
  /** The request asked for explain and may have it. */
  readonly explain?: boolean;
  /** Where the plugins record what the request turned out to be (the HTTP handler reads it). */
  readonly outcome?: RequestOutcome;
}

/**
 * Called once per HTTP request. An invalid token throws UnauthenticatedError (401), never anonymous.
 * The deadline, datasources and the bound logger are made on first use: a request that never
 * reaches an upstream pays for none of them. Call endContext when the response is written.
 */
export async function createContext(
  { headers, clientIp, clientGone, verified, trace = null, explain: explaining = false, outcome }: IncomingRequest,
  deps: ContextDeps,
): Promise<Context> {
  const viewer = verified !== undefined ? verified : await deps.verifier.viewerFrom(headers.authorization);
  const requestId = requestIdOf(headers.requestId);
  const upstreamCalls = { count: 0 };
  const staleServed: StaleNotice[] = [];
  const deadline = new RequestDeadline(performance.now() + deps.requestDeadlineMs, clientGone);
  const explain = explaining ? new ExplainRecorder() : null;
  let traceparent: string | undefined; // minted on the first upstream call: most requests are answered from cache
  const caller = {
    requestId,
    userId: viewer?.id ?? null,
    calls: upstreamCalls,
    get deadline() {
      return deadline.signal;
    },
    get traceparent() {
      return (traceparent ??= childTraceparent(headers.traceparent));
    },
    observer: trace || explain ? bothObservers(trace, explain) : null,
  };
  let onStale: StaleListener = (service: string, _key: string, ageMs: number): void => {
    if (!staleServed.some((s) => s.service === service))
      staleServed.push({ service, ageSeconds: Math.round(ageMs / 1000) });
  };
  if (explain) onStale = explainedListener(onStale, explain);
  let dataSources: DataSources | undefined;
  let log: Logger | undefined;
  const lazy: LazyParts = {
    deadline,
    dataSources: () =>
      (dataSources ??= explain
        ? explainedSources(createDataSources(deps, caller, onStale), explain)
        : createDataSources(deps, caller, onStale)),
    log: () => (log ??= deps.logger.child({ requestId })),
  };
  return new RequestContext(
    {
      requestId,
      viewer,
      clientIp,
      upstreamCalls,
      staleServed,
      partialErrors: [],
      compensationSources: () =>
        createDataSources(deps, { ...caller, deadline: AbortSignal.timeout(deps.compensationDeadlineMs) }, onStale),
      checkouts: deps.checkouts,
      authDecisions: new Map(),
      trace,
      explain,
      outcome: outcome ?? { operationName: null, query: false },
    },
    lazy,
  );
}

/**
 * The response is written (or the client hung up, `clientGone`: its upstream calls are
 * cancelled): stop the request's deadline timer.
 */
export function endContext(context: Context, clientGone = false): void {
  if (context instanceof RequestContext) context.end(clientGone);
}
