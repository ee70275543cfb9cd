import { randomBytes, randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "pino";
import { createDataSources, type DataSourceDeps, type DataSources } from "../datasources";
import type { TokenVerifier } from "./auth/token-verifier";
import type { Viewer } from "./auth/viewer";
import type { CheckoutLedger } from "./checkout-ledger";

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

/** What every resolver of one request sees. Created per request; nothing in it outlives the request. */
export interface Context {
  readonly requestId: string;
  readonly viewer: Viewer | null;
  readonly clientIp: string;
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
  /** Checkout outcomes and locks per client key, shared by replicas. */
  readonly checkouts: CheckoutLedger;
  /** The process logger, bound to this request's id. */
  readonly log: Logger;
}

export interface ContextDeps extends DataSourceDeps {
  readonly verifier: TokenVerifier;
  readonly requestDeadlineMs: number;
  readonly compensationDeadlineMs: number;
  readonly checkouts: CheckoutLedger;
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
}

export function readHeaders(headers: IncomingHttpHeaders): RequestHeaders {
  const one = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { authorization: one("authorization"), requestId: one("x-request-id"), traceparent: one("traceparent") };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;

/** Called once per HTTP request. An invalid token throws UnauthenticatedError (401), never anonymous. */
export async function createContext({ headers, clientIp, clientGone, verified }: IncomingRequest, deps: ContextDeps): Promise<Context> {
  const viewer = verified !== undefined ? verified : await deps.verifier.viewerFrom(headers.authorization);
  const requestId = headers.requestId && REQUEST_ID.test(headers.requestId) ? headers.requestId : randomUUID();
  const upstreamCalls = { count: 0 };
  const staleServed: StaleNotice[] = [];
  const partialErrors: PartialError[] = [];
  const timeout = AbortSignal.timeout(deps.requestDeadlineMs);
  const deadline = clientGone ? AbortSignal.any([timeout, clientGone]) : timeout;
  setMaxListeners(1_000, deadline); // one abort listener per upstream call in flight: many is normal, not a leak
  const caller = { requestId, traceparent: childTraceparent(headers.traceparent), userId: viewer?.id ?? null, calls: upstreamCalls, deadline };
  const onStale = (service: string, _key: string, ageMs: number): void => {
    if (!staleServed.some((s) => s.service === service)) staleServed.push({ service, ageSeconds: Math.round(ageMs / 1000) });
  };
  return {
    requestId, viewer, clientIp, upstreamCalls, staleServed, partialErrors,
    dataSources: createDataSources(deps, caller, onStale),
    compensationSources: () => createDataSources(deps, { ...caller, deadline: AbortSignal.timeout(deps.compensationDeadlineMs) }, onStale),
    checkouts: deps.checkouts,
    log: deps.logger.child({ requestId }),
  };
}

/** Continues the client's trace (or starts one) with the BFF as the parent of its upstream calls. */
function childTraceparent(incoming: string | undefined): string {
  const match = incoming ? TRACEPARENT.exec(incoming) : null;
  const traceId = match?.[1] ?? randomBytes(16).toString("hex");
  const flags = match?.[2] ?? "01";
  return `00-${traceId}-${randomBytes(8).toString("hex")}-${flags}`;
}
