import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { sendJson } from "./http/http-io";
import type { StoreState } from "./store-health";

/** `starting`: not serving yet; `serving`; `draining`: shutting down (docs/operators/runbook.md). */
export type Phase = "starting" | "serving" | "draining";

/**
 * The process's phase, for /healthz, /readyz and the drain. Readiness means "can serve": only the
 * phase decides it, never a dependency, so a store outage never takes a replica (or the fleet)
 * out of the load balancer; the body says when it serves degraded. Both probes answer from
 * flags, at once, whatever the store does.
 */
export class Lifecycle {
  phase: Phase = "starting";

  /** The shared store's state; null in memory-only mode. Set once the store is opened. */
  storeState: () => StoreState | null = () => null;

  get draining(): boolean {
    return this.phase === "draining";
  }

  get degraded(): boolean {
    const store = this.storeState();
    return store !== null && store !== "up";
  }

  status(): { ready: boolean; degraded: boolean; store: StoreState | null } {
    return { ready: this.phase === "serving", degraded: this.degraded, store: this.storeState() };
  }

  healthz = (_req: IncomingMessage, res: ServerResponse): void => sendJson(res, 200, { status: "ok" });

  readyz = (_req: IncomingMessage, res: ServerResponse): void => {
    const store = this.storeState() ?? "memory";
    if (this.phase !== "serving") return sendJson(res, 503, { status: this.phase, store });
    sendJson(res, 200, { status: this.degraded ? "degraded" : "ready", store });
  };
}

/**
 * Drains `server`: it keeps accepting for `graceMs` (load balancers see /readyz turn 503 and stop
 * sending), then stops accepting and closes idle connections; requests in flight get `timeoutMs`
 * to finish before their connections are closed. The caller marks the phase draining first, so
 * every response written meanwhile says `Connection: close`.
 */
export async function drainHttpServer(server: Server, graceMs: number, timeoutMs: number): Promise<void> {
  if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    // A connection whose request finishes now becomes idle; it is closed then, not after keepAliveTimeout.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}
