// What the demo services' routes share: HttpError (the frame in service-app.ts answers it as
// `{code, message}`), caching headers, query and body checks, and idempotent POSTs.
import { createHash } from "node:crypto";
import type { Request, Response } from "express";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends a public, cacheable JSON body; with `etag`, answers a matching If-None-Match with 304. */
export function sendPublic(req: Request, res: Response, body: unknown, maxAgeSeconds: number, etag = false): void {
  res.set("Cache-Control", `public, max-age=${maxAgeSeconds}`);
  if (etag) {
    const json = JSON.stringify(body);
    const tag = `W/"${createHash("sha1").update(json).digest("base64url").slice(0, 20)}"`;
    res.set("ETag", tag);
    if (req.get("if-none-match") === tag) {
      res.status(304).end();
      return;
    }
    res.type("application/json").send(json);
    return;
  }
  res.json(body);
}

export function sendNoStore(res: Response, status: number, body?: unknown): void {
  res.status(status).set("Cache-Control", "no-store");
  if (body === undefined) res.end();
  else res.json(body);
}

/** Comma-separated ids from the query, at most `max`. */
export function idList(req: Request, name: string, max = 100, required = true): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === "") {
    if (required) throw new HttpError(400, "INVALID_QUERY", `${name} is required`);
    return undefined;
  }
  const ids = String(raw).split(",").filter(Boolean);
  if (ids.length > max) throw new HttpError(400, "TOO_MANY_IDS", `${name} takes at most ${max} ids`);
  return ids;
}

/** An integer query parameter within [min, max], or its default. */
export function intParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, "INVALID_QUERY", `${name} must be an integer in ${min}..${max}`);
  }
  return value;
}

export function requireIdempotencyKey(req: Request): string {
  const key = req.get("idempotency-key");
  if (!key) throw new HttpError(400, "MISSING_IDEMPOTENCY_KEY", "Idempotency-Key header is required");
  return key;
}

/**
 * Idempotent POST: a repeated key returns the first successful result (`replayStatus`)
 * and changes nothing. Failures are not remembered, so a retry after one tries again.
 */
export class IdempotencyStore<T> {
  private readonly results = new Map<string, T>();

  run(key: string, create: () => T): { result: T; replayed: boolean } {
    const earlier = this.results.get(key);
    if (earlier !== undefined) return { result: earlier, replayed: true };
    const result = create();
    this.results.set(key, result);
    return { result, replayed: false };
  }
}

export function requireBody(req: Request): Record<string, unknown> {
  if (typeof req.body !== "object" || req.body === null || Array.isArray(req.body)) {
    throw new HttpError(400, "INVALID_BODY", "a JSON object body is required");
  }
  return req.body as Record<string, unknown>;
}
