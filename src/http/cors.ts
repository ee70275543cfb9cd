import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";

/** Which browser origins may call the BFF (docs/clients/operations.md, "Browsers: CORS"). */
export interface CorsConfig {
  /** Exact origins (`https://dash.example.com`) and patterns (`https://*.example.com`, `http://localhost:*`). */
  readonly origins: readonly string[];
  /** Whether browsers may send cookies and HTTP authentication (`Access-Control-Allow-Credentials`). */
  readonly credentials: boolean;
  /** How long a browser may reuse a preflight's answer. */
  readonly maxAgeSeconds: number;
}

/** Response headers a page may read besides the safelisted ones: the request id and the rate-limit headers. */
export const EXPOSED_HEADERS = [
  "x-request-id",
  "retry-after",
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "age",
];

/** Development's default: any port of this machine. */
export const LOCALHOST_ORIGINS = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"];

/**
 * An origin as the `cors` package matches it: a string is exact; a pattern (`*` for one DNS label or
 * a port) becomes an anchored RegExp, so `https://*.example.com` never matches `https://example.com.evil`.
 */
export function originMatcher(origin: string): string | RegExp {
  if (!origin.includes("*")) return origin;
  const escaped = origin.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"));
  return new RegExp(`^${escaped.join("[A-Za-z0-9-]+")}$`);
}

/** Whether a configured origin is well-formed: scheme, host (or `*.` label), optional port or `:*`, no path. */
export function isOriginPattern(origin: string): boolean {
  return /^https?:\/\/(\*\.)?(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+)(:(\d{1,5}|\*))?$/.test(origin);
}

export type CorsHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** With no origin allowed: an `OPTIONS` request still gets 204 (and no CORS header), never a CSRF refusal. */
const optionsOnly: CorsHandler = (req, res, next) => {
  if (req.method !== "OPTIONS") return next();
  res.statusCode = 204;
  res.setHeader("allow", "GET, POST, OPTIONS");
  res.setHeader("content-length", "0");
  res.end();
};

/**
 * The `cors` middleware over node:http. Every `OPTIONS` request (a preflight) is answered here with
 * 204, before CSRF prevention or GraphQL see it, with the CORS headers when its origin is allowed;
 * any other request goes on with its CORS headers set (and `Vary: Origin`, so shared caches keep
 * one answer per origin).
 */
export function corsHandler(config: CorsConfig): CorsHandler {
  if (config.origins.length === 0) return optionsOnly;
  const middleware = cors({
    origin: config.origins.includes("*") ? "*" : config.origins.map(originMatcher),
    methods: ["GET", "POST"],
    credentials: config.credentials,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: config.maxAgeSeconds,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => middleware(req, res, () => next());
}
