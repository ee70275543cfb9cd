// The Express frame every demo service shares (see createServiceApp).
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { faultInjector, parseFaults } from "./faults";
import { HttpError } from "./kit";
import { forgetCalls, MAX_TRACED, type RecordedCall, type ServiceControl, type TracedCall } from "./service-control";

const RECORDED_HEADERS = [
  "x-request-id",
  "traceparent",
  "x-user-id",
  "idempotency-key",
  "if-none-match",
  "x-api-key",
  "authorization",
];

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
