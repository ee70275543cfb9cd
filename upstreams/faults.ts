import type { NextFunction, Request, Response } from "express";
import { seededRandom } from "./random";

/**
 * What a demo service is told to do wrong. Tests, benchmarks and `npm run upstreams`
 * set it (in-process, or with `POST /__faults`).
 */
export interface Faults {
  /** Added before every response. */
  latencyMs: number;
  /**
   * Share of responses (0..1) answered 503: spread evenly (so runs repeat, and never two in a row
   * below 0.5), or at random from `seed` when one is set (runs still repeat, failures may cluster).
   */
  errorRate: number;
  /** Seed of the random 503s; null: spread evenly. Any change of the faults restarts the sequence. */
  seed: number | null;
  /**
   * `down`: every call 503; `reset`: the socket is destroyed; `hang`: no answer at all;
   * `hold`: requests wait until the mode changes, then are answered (for tests of concurrency);
   * `drop`: the request is processed, then the socket is destroyed instead of answering (a lost answer).
   */
  mode: "ok" | "down" | "reset" | "hang" | "hold" | "drop";
  /** When set, `mode`, `errorRate` and `headers` apply only to paths matching this regular expression. */
  only: string | null;
  /**
   * Response headers to send instead of the service's own (a null value removes one): how tests
   * give the BFF's cache the upstream's `Cache-Control`, `Expires`, `Age`, `Date`, `Vary`...
   */
  headers: Record<string, string | null> | null;
}

export const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, seed: null, mode: "ok", only: null, headers: null };

export function parseFaults(input: unknown): Partial<Faults> {
  const value = (input ?? {}) as Record<string, unknown>;
  const faults: Partial<Faults> = {};
  if (typeof value.latencyMs === "number" && value.latencyMs >= 0) faults.latencyMs = value.latencyMs;
  if (typeof value.errorRate === "number" && value.errorRate >= 0 && value.errorRate <= 1)
    faults.errorRate = value.errorRate;
  if (["ok", "down", "reset", "hang", "hold", "drop"].includes(value.mode as string))
    faults.mode = value.mode as Faults["mode"];
  if (typeof value.only === "string" || value.only === null) faults.only = value.only as string | null;
  if ((typeof value.seed === "number" && Number.isInteger(value.seed)) || value.seed === null)
    faults.seed = value.seed as number | null;
  if (value.headers === null) faults.headers = null;
  else if (
    typeof value.headers === "object" &&
    value.headers !== null &&
    Object.values(value.headers).every((v) => typeof v === "string" || v === null)
  ) {
    faults.headers = value.headers as Record<string, string | null>;
  }
  return faults;
}

/**
 * Express middleware that applies the service's current faults to each request.
 * Returns the middleware and `changed`, to call when the faults change (it lets held requests go).
 */
export function faultInjector(current: () => Faults) {
  let seen = 0;
  let random: (() => number) | null = null;
  let seeded: Faults | null = null; // the faults object the generator was seeded for
  const held: Array<() => void> = [];
  const changed = (): void => {
    const faults = current();
    if (faults !== seeded) {
      seeded = faults;
      random = faults.seed === null ? null : seededRandom(faults.seed);
    }
    if (current().mode !== "hold") held.splice(0).forEach((resume) => resume());
  };
  const inject = (req: Request, res: Response, next: NextFunction): void => {
    const faults = current();
    const targeted = faults.only === null || new RegExp(faults.only).test(req.path);
    const mode = targeted ? faults.mode : "ok";
    if (targeted && faults.headers) overrideHeaders(res, faults.headers);
    if (mode === "hang") return; // the server's close() destroys the socket
    if (mode === "hold") {
      held.push(() => inject(req, res, next));
      return;
    }
    if (mode === "reset") {
      req.socket.destroy();
      return;
    }
    if (mode === "drop") {
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as Response["end"];
      next();
      return;
    }
    const n = targeted ? seen++ : 0;
    const injected =
      mode === "down" ||
      (targeted &&
        (random && faults.seed !== null
          ? random() < faults.errorRate
          : Math.floor((n + 1) * faults.errorRate) > Math.floor(n * faults.errorRate)));
    const proceed = (): void => {
      if (injected) {
        res.status(503).json({ code: "UNAVAILABLE", message: "injected failure" });
        return;
      }
      next();
    };
    if (faults.latencyMs > 0) setTimeout(proceed, faults.latencyMs);
    else proceed();
  };
  return { inject, changed };
}

/** Replaces response headers just before they are written, whatever the route set. */
function overrideHeaders(res: Response, headers: Record<string, string | null>): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
  res.writeHead = ((...args: unknown[]) => {
    for (const [name, value] of Object.entries(headers)) {
      if (value === null) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    return writeHead(...args);
  }) as Response["writeHead"];
}
