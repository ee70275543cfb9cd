import { AxiosError } from "axios";
import { CACHE_HEADERS, type CacheHeaders } from "../cache/cache-control";
import { UpstreamError } from "../errors/upstream-error";
import type { ServiceName } from "../services";
import type { ServiceClient } from "./service-clients";
import type { CallObserver } from "../telemetry/observe";

/** What every upstream call made on behalf of one client request carries and reports. */
export interface CallerMeta {
  readonly requestId: string;
  /** W3C trace context for upstream calls: the client's trace id with the BFF's span id. */
  readonly traceparent: string;
  readonly userId: string | null;
  /** Counts every upstream HTTP call (each attempt) of the request, for logs and tests. */
  readonly calls: { count: number };
  /** Aborts when the client request's deadline is spent (or the client went away). */
  readonly deadline: AbortSignal;
  /** Traces and/or explains each call; null (nothing recorded) unless the request is traced or explained. */
  readonly observer: CallObserver | null;
}

export interface UpstreamRequest {
  readonly method?: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly params?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  /** Revalidation headers (If-None-Match, If-Modified-Since) from the cache. */
  readonly validators?: Readonly<Record<string, string>>;
  /** Required by the upstream on writes that must happen once; makes the write safe to retry. */
  readonly idempotencyKey?: string;
  /** A write the upstream defines as repeatable without an Idempotency-Key (release, refund, commit, set status). */
  readonly repeatable?: boolean;
}

export interface UpstreamResponse<T> {
  readonly status: number;
  /** Undefined on 304 and 204. */
  readonly data: T | undefined;
  /** The headers the cache decides by (Cache-Control, ETag, Last-Modified, Expires, Age, Date, Vary, Pragma). */
  readonly headers: CacheHeaders;
}

/**
 * One upstream, as seen by one client request: adds the caller's headers to every call,
 * runs it under the service's policies and the request's deadline, counts calls, and turns
 * every failure into an UpstreamError (the only error that leaves).
 */
export class ServiceHttp {
  readonly service: ServiceName;

  constructor(
    private readonly client: ServiceClient,
    private readonly caller: CallerMeta,
  ) {
    this.service = client.service;
  }

  request<T>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const method = req.method ?? "GET";
    const repeatable = method === "GET" || req.idempotencyKey !== undefined || req.repeatable === true;
    return this.client.policy.execute((signal) => this.attempt<T>(req, signal), {
      repeatable,
      signal: this.caller.deadline,
    });
  }

  private async attempt<T>(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse<T>> {
    const observed = this.caller.observer ? this.caller.observer.upstreamCall(this.service, req) : null;
    const headers: Record<string, string> = {
      "X-Request-Id": this.caller.requestId,
      traceparent: observed?.traceparent ?? this.caller.traceparent,
    };
    let data: string | undefined;
    if (req.body !== undefined) {
      data = JSON.stringify(req.body);
      headers["Content-Type"] = "application/json";
    }
    if (this.caller.userId) headers["X-User-Id"] = this.caller.userId;
    if (req.validators) Object.assign(headers, req.validators);
    if (req.idempotencyKey) headers["Idempotency-Key"] = req.idempotencyKey;
    this.caller.calls.count += 1;
    this.client.inFlight += 1;
    const started = performance.now();
    let outcome = "network";
    try {
      const res = await this.client.axios.request<T>({
        method: req.method ?? "GET",
        url: this.url(req),
        data,
        headers,
        signal,
      });
      outcome = String(res.status);
      if (observed) {
        const cacheControl: unknown = res.headers["cache-control"];
        observed.end(res.status, typeof cacheControl === "string" ? cacheControl : undefined, undefined);
      }
      return {
        status: res.status,
        data: res.status === 304 || res.status === 204 ? undefined : res.data,
        headers: cacheHeaders(res.headers),
      };
    } catch (error) {
      const failure = this.toUpstreamError(error);
      outcome = failure.status ? String(failure.status) : failure.kind;
      observed?.end(failure.status ?? 0, undefined, failure.status ? undefined : failure.kind);
      throw failure;
    } finally {
      this.client.inFlight -= 1;
      this.client.observe(outcome, (performance.now() - started) / 1000);
    }
  }

  /** The absolute URL, with the defined parameters as its query string. */
  private url(req: UpstreamRequest): string {
    const base = this.client.baseUrl + req.path;
    if (!req.params) return base;
    let query = "";
    for (const name in req.params) {
      const value = req.params[name];
      if (value !== undefined)
        query += `${query ? "&" : "?"}${encodeURIComponent(name)}=${encodeURIComponent(value).replace(/%2C/g, ",")}`;
    }
    return base + query;
  }

  /** GET that resolves to the body, or throws UpstreamError. */
  async get<T>(path: string, params?: UpstreamRequest["params"]): Promise<T> {
    return (await this.request<T>({ path, params })).data as T;
  }

  private toUpstreamError(error: unknown): UpstreamError {
    if (error instanceof UpstreamError) return error;
    if (error instanceof AxiosError) {
      if (error.response) {
        const body = error.response.data as { code?: unknown } | undefined;
        const code = typeof body?.code === "string" ? body.code : undefined;
        return new UpstreamError(this.service, "status", error.response.status, code);
      }
      if (error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT)
        return new UpstreamError(this.service, "timeout");
      if (error.code === AxiosError.ERR_CANCELED) return new UpstreamError(this.service, "deadline");
    }
    return new UpstreamError(this.service, "network");
  }
}

/** Only the headers a cache decision reads: entries stay small in memory and in Redis. */
function cacheHeaders(all: Record<string, unknown>): CacheHeaders {
  const kept: Partial<Record<(typeof CACHE_HEADERS)[number], string>> = {};
  for (const name of CACHE_HEADERS) {
    const value = all[name];
    if (typeof value === "string") kept[name] = value;
  }
  return kept;
}
