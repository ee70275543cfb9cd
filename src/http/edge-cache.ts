import type { IncomingMessage, ServerResponse } from "node:http";
import type { HTTPGraphQLResponse } from "@apollo/server";
import type { Logger } from "pino";
import type { EdgeAnswer } from "../cache/edge-answer";
import type { MemoryTier } from "../cache/memory-tier";
import type { RequestOutcome } from "../context";
import { callerOf, type RateLimiter, type Throttle } from "../limits/rate-limiter";
import type { Metrics } from "../metrics";
import { endCompressed } from "./compression";
import { etagOf, noneMatchHits } from "./etag";
import { header } from "./http-io";
import { rateLimitFields } from "./rate-limit-headers";

export interface EdgeCacheDeps {
  readonly tier: MemoryTier<EdgeAnswer>;
  readonly limiter: RateLimiter;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => number;
}

/** Content types a browser may send cross-origin without a preflight (Apollo's CSRF prevention). */
const SIMPLE_TYPES = new Set(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]);
const PUBLIC = /^max-age=(\d+), public$/;

/**
 * Whole public answers to anonymous queries, served before Apollo: a request that arrives
 * again, byte for byte, within the answer's max-age gets the same body without a context,
 * parsing, validation, execution or serialisation. What the request path does for every request
 * still happens, or holds: the same bytes from the same app passed the size limits and trusted
 * documents when the answer was made (they depend on nothing else); the caller's bucket is
 * charged what Apollo charged (the requested cost, less the refund); and
 * the request gets its RateLimit fields, ETag and 304, compression, one log line and its
 * metrics. A bucket that refuses, or a limiter that fails, sends the request on to Apollo,
 * which refuses it (or lets it through) as it always does. Only process memory holds these
 * answers (the `edge` tier); webhooks drop the ones holding a changed id (cache/invalidation.ts).
 */
export class EdgeCache {
  constructor(private readonly deps: EdgeCacheDeps) {}

  /**
   * The key of a request: its method, Accept (Apollo's content type depends on it), the client
   * app (trusted documents may treat apps differently) and the request exactly as it came
   * (`raw`: the body, or the query string). The same key, the same answer.
   */
  keyOf(req: IncomingMessage, method: string, raw: string): string {
    return `${method} ${header(req, "accept") ?? ""} ${header(req, "apollographql-client-name") ?? ""}\n${raw}`;
  }

  /**
   * Apollo's CSRF prevention for a GET: a manifest query (`trustedQuery`), a preflight header, or
   * a non-simple content type. A GET that fails it is never answered here: Apollo refuses it.
   */
  passesCsrf(req: IncomingMessage, trustedQuery: boolean): boolean {
    if (trustedQuery || header(req, "apollo-require-preflight") || header(req, "x-apollo-operation-name")) return true;
    const type = header(req, "content-type")?.split(";")[0]?.trim().toLowerCase();
    return type !== undefined && type !== "" && !SIMPLE_TYPES.has(type);
  }

  /** Answers from the edge; false when it holds nothing for `key` or the bucket says no (Apollo answers then). */
  async serve(
    key: string,
    req: IncomingMessage,
    res: ServerResponse,
    clientIp: string,
    requestId: string,
    compressMinBytes: number,
  ): Promise<boolean> {
    const started = performance.now();
    const answer = this.deps.tier.get(key);
    if (!answer) return false;
    const throttle = await this.charge(answer, clientIp, requestId);
    if (!throttle) return false;
    res.statusCode = 200;
    res.setHeader("content-type", answer.contentType);
    res.setHeader("cache-control", answer.cacheControl);
    res.setHeader("vary", "accept");
    res.setHeader("age", String(Math.max(0, Math.floor((this.deps.now() - answer.madeAt) / 1000))));
    for (const [name, value] of rateLimitFields("anonymous", throttle)) res.setHeader(name, value);
    if (answer.etag) {
      res.setHeader("etag", answer.etag);
      if (noneMatchHits(header(req, "if-none-match"), answer.etag)) res.statusCode = 304;
    }
    if (res.statusCode === 304) res.end();
    else await endCompressed(req, res, answer.body, compressMinBytes, answer.compressed);
    this.observe(answer, requestId, res.statusCode, started);
    return true;
  }

  /** Keeps Apollo's answer to `key` when it is a clean, public answer to a query. */
  keep(key: string, method: string, response: HTTPGraphQLResponse, outcome: RequestOutcome): void {
    if (!outcome.query || !outcome.shareable || !outcome.cost) return;
    if ((response.status ?? 200) !== 200 || response.body.kind !== "complete") return;
    const cacheControl = response.headers.get("cache-control");
    const maxAge = cacheControl ? PUBLIC.exec(cacheControl)?.[1] : undefined;
    if (!cacheControl || maxAge === undefined) return;
    const age = Number(response.headers.get("age") ?? 0) || 0; // an answer from Apollo's response cache is that old
    const body = response.body.string;
    this.deps.tier.set(
      key,
      {
        body,
        contentType: response.headers.get("content-type") ?? "application/json; charset=utf-8",
        cacheControl,
        madeAt: this.deps.now() - age * 1000,
        operationName: outcome.operationName,
        requestedCost: outcome.cost.requested,
        actualCost: outcome.cost.actual,
        etag: method === "GET" ? etagOf(body) : undefined,
        compressed: {},
      },
      (Number(maxAge) - age) * 1000,
    );
  }

  /** Spends what Apollo would: the requested cost, then refunds what the answer did not use. */
  private async charge(answer: EdgeAnswer, clientIp: string, requestId: string): Promise<Throttle | null> {
    const { limiter, logger } = this.deps;
    const caller = callerOf(null, clientIp);
    const charged = Math.max(1, answer.requestedCost);
    let throttle: Throttle;
    try {
      throttle = await limiter.spend(caller, charged);
    } catch {
      return null; // Apollo's path decides what a failed limiter means, and logs it
    }
    if (!throttle.allowed) return null;
    const unspent = charged - Math.max(1, answer.actualCost ?? answer.requestedCost);
    if (unspent <= 0) return throttle;
    return limiter.refund(caller, unspent).catch((error: unknown) => {
      logger.warn({ err: error, requestId }, "rate limiter refund failed");
      return throttle;
    });
  }

  /** The request's log line and metrics, as the plugins write them for Apollo's answers. */
  private observe(answer: EdgeAnswer, requestId: string, status: number, started: number): void {
    const { metrics, logger } = this.deps;
    const durationMs = performance.now() - started;
    logger.info(
      {
        requestId,
        operationName: answer.operationName,
        durationMs: Math.round(durationMs * 10) / 10,
        upstreamCalls: 0,
        cost: answer.requestedCost,
        status,
        errors: [],
        servedFrom: "edge",
      },
      "graphql request",
    );
    metrics.recordOperation(answer.operationName, "ok", durationMs / 1000);
  }
}
