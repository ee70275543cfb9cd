import type { UpstreamRequest } from "../http/service-http";

/**
 * What a request that is traced or explained reports about each upstream HTTP call. The request
 * path holds `null` when neither is on: one check per call, nothing allocated.
 */
export interface CallObserver {
  /** Called as the attempt starts; the handle's traceparent is sent to the upstream. */
  upstreamCall(service: string, req: UpstreamRequest): CallHandle;
}

export interface CallHandle {
  /** The W3C traceparent to send: the upstream call's own span when tracing. */
  readonly traceparent: string | undefined;
  /** The attempt ended: HTTP status (0 when none came back), its Cache-Control, or a failure kind. */
  end(status: number, cacheControl: string | undefined, failure: string | undefined): void;
}

/** Cache result of one upstream read, as traces and explain report it. */
export type CacheResult = "fresh" | "miss" | "revalidated" | "stale" | "coalesced" | "bypass";

/** How a request uses its upstream calls' data: `miss` when a shareable GET was fetched, `bypass` when it is not cacheable. */
export function cacheResultOf(req: UpstreamRequest, status: number, cacheControl: string | undefined): CacheResult {
  if (status === 304) return "revalidated";
  if (
    (req.method ?? "GET") !== "GET" ||
    !cacheControl ||
    /no-store|no-cache|private/.test(cacheControl) ||
    !/max-age/.test(cacheControl)
  )
    return "bypass";
  return "miss";
}

/** The route template of a path: id segments become `{id}` (`/orders/o-1` -> `/orders/{id}`). */
export function routeOf(path: string): string {
  return path.replace(/\/(?![a-z]+(?:\/|$))[^/]+/g, "/{id}");
}

/** Ids in one batch call (the `ids` / `productIds` parameter), or 1. */
export function batchSizeOf(req: UpstreamRequest): number {
  const ids = req.params?.ids ?? req.params?.productIds;
  return typeof ids === "string" && ids.length > 0 ? ids.split(",").length : 1;
}

/** Several observers as one (tracing and explain on the same request). */
export function bothObservers(a: CallObserver | null, b: CallObserver | null): CallObserver | null {
  if (!a || !b) return a ?? b;
  return {
    upstreamCall(service, req) {
      const first = a.upstreamCall(service, req);
      const second = b.upstreamCall(service, req);
      return {
        traceparent: first.traceparent ?? second.traceparent,
        end(status, cacheControl, failure) {
          first.end(status, cacheControl, failure);
          second.end(status, cacheControl, failure);
        },
      };
    },
  };
}
