import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
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

/** Stops accepting connections, lets in-flight requests finish, and closes idle keep-alive sockets. */
function closeHttpServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** How the BFF is started and stopped; each moves the lifecycle's phase. */
export interface ServerControls {
  /** Listens and resolves to the base URL (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Shutdown without losing a request: /readyz says 503 at once and responses say
   * `Connection: close`; new connections are accepted for `graceMs` (DRAIN_GRACE_MS), then
   * refused; requests in flight get `timeoutMs` (DRAIN_TIMEOUT_MS); then everything is closed.
   */
  drain(graceMs?: number, timeoutMs?: number): Promise<void>;
  /** Closes at once (no grace period): tests. */
  close(): Promise<void>;
}

/** Listen, drain and close of `server`; `release` frees everything else once it no longer serves. */
export function serverControls(
  server: Server,
  lifecycle: Lifecycle,
  drain: { readonly graceMs: number; readonly timeoutMs: number },
  logger: Logger,
  release: () => Promise<void>,
): ServerControls {
  return {
    listen: (port, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          lifecycle.phase = "serving";
          resolve(`http://${host}:${(server.address() as AddressInfo).port}`);
        });
      }),
    drain: async (graceMs = drain.graceMs, timeoutMs = drain.timeoutMs) => {
      lifecycle.phase = "draining";
      logger.info(
        { graceMs, timeoutMs },
        "draining: /readyz says 503; accepting for the grace period, then finishing requests in flight",
      );
      await drainHttpServer(server, graceMs, timeoutMs);
      await release();
    },
    close: async () => {
      lifecycle.phase = "draining";
      await closeHttpServer(server);
      await release();
    },
  };
}
