import type { NextFunction, Request, Response } from "express";
import { seededRandom } from "./random";

/**
 * What a demo service is told to do wrong. Tests, benchmarks and `npm run upstreams`
 * set it (in-process, or with `POST /__faults`); it applies to every API route.
 */
export interface Faults {
  /** Added before every response. */
  latencyMs: number;
  /** Share of responses (0..1) answered 503, drawn from a seeded PRNG so runs repeat. */
  errorRate: number;
  /** `down`: every call 503; `reset`: the socket is destroyed; `hang`: no answer at all. */
  mode: "ok" | "down" | "reset" | "hang";
}

export const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, mode: "ok" };

export function parseFaults(input: unknown): Partial<Faults> {
  const value = (input ?? {}) as Record<string, unknown>;
  const faults: Partial<Faults> = {};
  if (typeof value.latencyMs === "number" && value.latencyMs >= 0) faults.latencyMs = value.latencyMs;
  if (typeof value.errorRate === "number" && value.errorRate >= 0 && value.errorRate <= 1) faults.errorRate = value.errorRate;
  if (value.mode === "ok" || value.mode === "down" || value.mode === "reset" || value.mode === "hang") faults.mode = value.mode;
  return faults;
}

/** Express middleware that applies the service's current faults to each request. */
export function faultInjector(current: () => Faults, seed: number) {
  const random = seededRandom(seed);
  return (req: Request, res: Response, next: NextFunction): void => {
    const faults = current();
    if (faults.mode === "hang") return; // the server's close() destroys the socket
    if (faults.mode === "reset") {
      req.socket.destroy();
      return;
    }
    const proceed = (): void => {
      if (faults.mode === "down" || random() < faults.errorRate) {
        res.status(503).json({ code: "UNAVAILABLE", message: "injected failure" });
        return;
      }
      next();
    };
    if (faults.latencyMs > 0) setTimeout(proceed, faults.latencyMs);
    else proceed();
  };
}
