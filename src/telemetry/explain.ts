import type { GraphQLResolveInfo } from "graphql";
import type { UpstreamRequest } from "../http/service-http";
import { batchSizeOf, cacheResultOf, routeOf, type CacheResult, type CallHandle, type CallObserver } from "./observe";

/** One upstream read of the request, as `extensions.upstream.calls` lists it. */
export interface UpstreamEntry {
  readonly service: string;
  /** `GET /products`; null for a lookup answered from the cache (no call was made). */
  readonly route: string | null;
  /** HTTP status; null when no call was made, or none came back. */
  readonly status: number | null;
  readonly ms: number;
  readonly cache: CacheResult;
  /** Ids asked for in one call (or answered by one lookup). */
  readonly batchSize: number;
  /** The fields (response paths) whose resolvers asked this service since its previous call. */
  readonly fields: readonly string[];
  /** Why the call failed (timeout, network, deadline…), when it did. */
  readonly failure?: string;
}

/** The header a client sends to ask for `extensions.upstream` (admins only in production). */
export const EXPLAIN_HEADER = "x-bff-explain";

/** True when the header asks for explain (`1` or `true`). */
export const wantsExplain = (value: string | undefined): boolean => value === "1" || value === "true";

/**
 * Records what one explained request asked of its upstreams. Made only for requests that asked
 * (x-bff-explain); every other request holds null and records nothing.
 */
export class ExplainRecorder implements CallObserver {
  readonly entries: UpstreamEntry[] = [];
  /** The response path of the field whose resolver is running (set before it runs). */
  field: string | undefined;
  private readonly asked = new Map<string, Set<string>>();

  /** A resolver asked `service` for data. */
  ask(service: string): void {
    if (this.field === undefined) return;
    let fields = this.asked.get(service);
    if (!fields) this.asked.set(service, (fields = new Set()));
    fields.add(this.field);
  }

  /** A lookup answered without an upstream call (fresh, coalesced) or from a stale entry. */
  lookup(service: string, result: CacheResult, count: number): void {
    this.entries.push({
      service,
      route: null,
      status: null,
      ms: 0,
      cache: result,
      batchSize: count,
      fields: this.fieldsOf(service, false),
    });
  }

  upstreamCall(service: string, req: UpstreamRequest): CallHandle {
    const started = performance.now();
    const fields = this.fieldsOf(service, true);
    return {
      traceparent: undefined,
      end: (status, cacheControl, failure) => {
        this.entries.push({
          service,
          route: `${req.method ?? "GET"} ${routeOf(req.path)}`,
          status: status > 0 ? status : null,
          ms: Math.round((performance.now() - started) * 10) / 10,
          cache: status > 0 ? cacheResultOf(req, status, cacheControl) : "miss",
          batchSize: batchSizeOf(req),
          fields,
          ...(failure ? { failure } : {}),
        });
      },
    };
  }

  /** Before a field's resolver runs: remember who is asking. */
  resolving(info: GraphQLResolveInfo): void {
    this.field = pathOf(info.path);
  }

  private fieldsOf(service: string, take: boolean): readonly string[] {
    const fields = this.asked.get(service);
    if (!fields) return [];
    if (take) this.asked.delete(service);
    return [...fields];
  }
}

function pathOf(path: GraphQLResolveInfo["path"]): string {
  let text = String(path.key);
  for (let p = path.prev; p; p = p.prev) text = `${p.key}.${text}`;
  return text;
}

/** Wraps a datasource so that every call notes which field asked, and a synchronous (fresh, in-process) answer is listed. */
export function explained<T extends object>(source: T, service: string, recorder: ExplainRecorder): T {
  return new Proxy(source, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        recorder.ask(service);
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) recorder.lookup(service, "fresh", 1);
        return result;
      };
    },
  });
}
