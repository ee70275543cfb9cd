import { createHash } from "node:crypto";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { faultInjector, NO_FAULTS, parseFaults, type Faults } from "./faults";

/** One request as a demo service saw it: what tests assert upstream call counts and headers against. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | undefined>;
  status?: number;
}

/** One call of a traced client request (its X-Request-Id starts with `trace-`): when it arrived and was answered. */
export interface TracedCall {
  readonly service: string;
  readonly requestId: string;
  readonly path: string;
  readonly startMs: number;
  endMs: number;
}

/** Traced calls kept per service at most (the bench traces a few dozen requests). */
const MAX_TRACED = 2_000;

/** The in-process handle of one demo service. */
export interface ServiceControl {
  readonly name: string;
  readonly calls: RecordedCall[];
  /** Calls since the last reset, also when `record` is off. */
  callCount: number;
  /**
   * Keep every call in `calls` (tests assert on them). Off in the standalone process
   * (`npm run upstreams`, the bench), where a long run would otherwise grow without bound.
   */
  record: boolean;
  /** Calls of traced requests (X-Request-Id `trace-*`), bounded; read with `GET /__calls`. */
  readonly traced: TracedCall[];
  faults: Faults;
  /** The X-Api-Key the service accepts (tests change it to rotate the key). */
  apiKey: string;
  /** Called whenever the faults change. */
  onChange?: () => void;
  setFaults(faults: Partial<Faults>): void;
  /** Forgets recorded calls and clears faults. */
  reset(): void;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const RECORDED_HEADERS = [
  "x-request-id",
  "traceparent",
  "x-user-id",
  "idempotency-key",
  "if-none-match",
  "x-api-key",
  "authorization",
];

export function createControl(name: string): ServiceControl {
  const control: ServiceControl = {
    name,
    calls: [],
    callCount: 0,
    record: true,
    traced: [],
    faults: { ...NO_FAULTS },
    apiKey: "",
    setFaults: (faults) => {
      control.faults = { ...control.faults, ...faults };
      control.onChange?.();
    },
    reset: () => {
      forgetCalls(control);
      control.faults = { ...NO_FAULTS };
      control.onChange?.();
    },
  };
  return control;
}

function forgetCalls(control: ServiceControl): void {
  control.calls.length = 0;
  control.traced.length = 0;
  control.callCount = 0;
}

/**
 * The frame every demo service shares: call recording, the `/__faults` switch,
 * the `/__calls` counter (`GET`: `{ count, traced }`; `DELETE`: forget them),
 * fault injection, the `X-Api-Key` check, JSON bodies and `{code, message}` errors.
 * `routes` adds the service's own endpoints.
 */
export function createServiceApp(
  control: ServiceControl,
  apiKey: string,
  routes: (app: Express) => void,
  bearerValid?: (token: string) => boolean,
): Express {
  control.apiKey = apiKey;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use((req, res, next) => {
    if (req.path.startsWith("/__")) return next();
    control.callCount += 1;
    const requestId = req.get("x-request-id");
    if (requestId?.startsWith("trace-") && control.traced.length < MAX_TRACED) {
      const traced: TracedCall = {
        service: control.name,
        requestId,
        path: req.path,
        startMs: performance.now(),
        endMs: -1,
      };
      control.traced.push(traced);
      res.on("finish", () => {
        traced.endMs = performance.now();
      });
    }
    if (!control.record) return next();
    const call: RecordedCall = {
      method: req.method,
      path: req.path,
      query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
      headers: Object.fromEntries(RECORDED_HEADERS.map((h) => [h, req.get(h)])),
    };
    control.calls.push(call);
    res.on("finish", () => {
      call.status = res.statusCode;
    });
    next();
  });
  app.get("/__calls", (_req, res) => {
    res.json({ count: control.callCount, traced: control.traced });
  });
  app.delete("/__calls", (_req, res) => {
    forgetCalls(control);
    res.status(204).end();
  });
  app.post("/__faults", express.json(), (req, res) => {
    control.setFaults(parseFaults(req.body));
    res.json(control.faults);
  });
  const faults = faultInjector(() => control.faults);
  control.onChange = faults.changed;
  app.use(faults.inject);
  app.use((req, _res, next) => {
    next(
      req.get("x-api-key") === control.apiKey
        ? undefined
        : new HttpError(401, "UNAUTHORIZED", "missing or wrong X-Api-Key"),
    );
  });
  if (bearerValid) {
    app.use((req, _res, next) => {
      const token = /^Bearer (\S+)$/.exec(req.get("authorization") ?? "")?.[1];
      next(
        token && bearerValid(token)
          ? undefined
          : new HttpError(401, "UNAUTHORIZED", "missing, unknown or expired bearer token"),
      );
    });
  }
  app.use(express.json({ limit: "256kb" }));
  routes(app);
  app.use((_req, _res, next) => next(new HttpError(404, "NOT_FOUND", "no such route")));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const known = error instanceof HttpError ? error : toHttpError(error);
    res.status(known.status).set("Cache-Control", "no-store").json({ code: known.code, message: known.message });
  });
  return app;
}

function toHttpError(error: unknown): HttpError {
  const status = (error as { status?: number }).status;
  if (status && status >= 400 && status < 500) return new HttpError(status, "BAD_REQUEST", "malformed request");
  return new HttpError(500, "INTERNAL", "internal error");
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
