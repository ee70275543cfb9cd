import CachePolicy from "http-cache-semantics";

/** The response headers a cache decision reads (lower-case names); ServiceHttp keeps only these. */
export const CACHE_HEADERS = [
  "cache-control",
  "etag",
  "last-modified",
  "expires",
  "age",
  "date",
  "vary",
  "pragma",
] as const;

export type CacheHeaders = Readonly<Partial<Record<(typeof CACHE_HEADERS)[number], string>>>;

/** What the cache does with one upstream response, by our clock. */
export interface Decision {
  /** Fresh until then: served without asking the upstream. */
  readonly freshUntil: number;
  /** Until then a stale entry may answer when the upstream fails (never past freshUntil where forbidden). */
  readonly staleUntil: number;
  /** For revalidation: the policy with the response's validators; absent when it has none. */
  readonly policy?: CachePolicy.CachePolicyObject;
}

/** The request every decision is made for: a GET on behalf of no one (shared data only). */
const request = (key: string): CachePolicy.HttpRequest => ({ url: key, method: "GET", headers: {} });

/** `no-store` or `private` as a directive of Cache-Control (`private="field"` included). */
const NOT_SHARED = /(?:^|,)\s*(?:no-store|private)\s*(?:[=,]|$)/i;

/** Request headers the BFF sends that differ per client request: a response that varies on them is not shared. */
const VARY_SAFE = new Set(["accept", "accept-encoding"]);

/**
 * The rules of a shared cache (RFC 9111), decided by http-cache-semantics (Apollo's
 * RESTDataSource uses it): whether a response may be stored (not `no-store`, not `private`),
 * how long it is fresh (`s-maxage`, `max-age` or `Expires` against `Date`, minus `Age`; no
 * heuristic freshness: an upstream that says nothing is revalidated every time it has a validator,
 * and not stored otherwise), and how to revalidate it (`If-None-Match`, `If-Modified-Since`).
 * Stale-if-error (RFC 5861) is ours to apply: the upstream's `stale-if-error=N` when it sends
 * one, else `defaultStaleMs`, and never with `must-revalidate`, `proxy-revalidate`, `s-maxage`
 * (proxy-revalidate for shared caches) or `no-cache`.
 */
export class CacheRules {
  private readonly Policy: typeof CachePolicy;

  constructor(
    private readonly now: () => number,
    private readonly defaultStaleMs: number,
  ) {
    this.Policy = class extends CachePolicy {
      now(): number {
        return now();
      }
    };
  }

  /** The decision for a 200 (or another cacheable status), or null when it must not be stored in a shared cache. */
  decide(key: string, status: number, headers: CacheHeaders): Decision | null {
    // A shared cache never stores `no-store` or `private` (any form): said without building a policy,
    // since most private calls (a customer's orders, payments) answer so.
    if (NOT_SHARED.test(headers["cache-control"] ?? "")) return null;
    return this.judge(
      new this.Policy(request(key), { status, headers: { ...headers } }, { shared: true, cacheHeuristic: 0 }),
      headers,
    );
  }

  /** The headers that revalidate an entry decided before. */
  validators(policy: CachePolicy.CachePolicyObject): Record<string, string> {
    const headers = this.Policy.fromObject(policy).revalidationHeaders(request(policy.u ?? ""));
    const validators: Record<string, string> = {};
    if (headers["if-none-match"]) validators["if-none-match"] = headers["if-none-match"] as string;
    if (headers["if-modified-since"]) validators["if-modified-since"] = headers["if-modified-since"] as string;
    return validators;
  }

  /**
   * The decision after a 304 (RFC 9111 §4.3.4): the stored response's headers updated with those
   * of the 304, judged again as a new response (its Date and Age count from now).
   */
  revalidated(policy: CachePolicy.CachePolicyObject, headers: CacheHeaders): Decision | null {
    const stored = policy.resh as CacheHeaders;
    const merged: Record<string, string> = {};
    for (const name of CACHE_HEADERS) {
      const value = name === "age" || name === "date" ? headers[name] : (headers[name] ?? stored[name]); // Age and Date are the new message's own
      if (value !== undefined) merged[name] = value;
    }
    return this.decide(policy.u ?? "", policy.st, merged);
  }

  private judge(policy: CachePolicy, headers: CacheHeaders): Decision | null {
    if (!policy.storable()) return null;
    const vary = headers.vary;
    if (vary && vary.split(",").some((name) => !VARY_SAFE.has(name.trim().toLowerCase()))) return null;
    const now = this.now();
    const freshUntil = now + Math.max(0, Math.floor((policy.maxAge() - policy.age()) * 1000));
    const object = policy.toObject();
    const hasValidator = Boolean(object.resh.etag || object.resh["last-modified"]);
    if (freshUntil <= now && !hasValidator) return null; // never fresh and cannot be revalidated: nothing to keep
    return { freshUntil, staleUntil: freshUntil + this.staleMs(headers), ...(hasValidator ? { policy: object } : {}) };
  }

  private staleMs(headers: CacheHeaders): number {
    const directives = parseDirectives(headers["cache-control"]);
    if (headers["cache-control"] === undefined && /no-cache/i.test(headers.pragma ?? "")) return 0; // HTTP/1.0's no-cache
    if (
      directives.has("must-revalidate") ||
      directives.has("proxy-revalidate") ||
      directives.has("s-maxage") ||
      directives.has("no-cache")
    )
      return 0;
    const seconds = Number(directives.get("stale-if-error"));
    return directives.has("stale-if-error") && Number.isFinite(seconds) && seconds >= 0
      ? seconds * 1000
      : this.defaultStaleMs;
  }
}

/** Cache-Control as directive -> value ("" for a directive without one). */
export function parseDirectives(header: string | undefined): Map<string, string> {
  const directives = new Map<string, string>();
  if (!header) return directives;
  for (const part of header.toLowerCase().split(",")) {
    const [name, value] = part.trim().split("=", 2);
    if (name) directives.set(name, value?.replace(/"/g, "") ?? "");
  }
  return directives;
}
