import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { ErrorCode } from "../errors/bff-errors";
import { EXPLORER_PATH } from "../explorer";
import type { Lifecycle } from "../lifecycle";
import type { Metrics } from "../metrics";
import { SERVICE_NAMES } from "../services";
import type { CorsHandler } from "./cors";
import { header, refuse } from "./http-io";
import { requestIdOf } from "./request-ids";

export type Route = (req: IncomingMessage, res: ServerResponse) => unknown;

/** What the BFF serves besides GraphQL, and GraphQL itself. */
export interface Endpoints {
  readonly lifecycle: Lifecycle;
  readonly metrics: Metrics;
  /** /auth/login, /auth/callback, /auth/logout, /auth/session (browser sessions on). */
  readonly auth?: Readonly<Record<string, Route>>;
  /** Standard Webhooks from the upstreams (src/webhooks/receiver.ts); payments' move checkouts on. */
  readonly webhooks: Route;
  /** The offline explorer at EXPLORER_PATH and under it; null: off. */
  readonly explorer: ((req: IncomingMessage, res: ServerResponse, path: string) => void) | null;
  /** `/` and `/graphql`; `search` is the query string, `?` included. */
  readonly graphql: (req: IncomingMessage, res: ServerResponse, requestId: string, search: string) => Promise<void>;
  /** Answers preflights (OPTIONS) before anything else sees them. */
  readonly cors: CorsHandler;
  readonly logger: Logger;
}

/**
 * The HTTP server's request listener: every response carries the request id; while draining,
 * `Connection: close`; then CORS, then the route (anything unknown is 404).
 */
export function router(endpoints: Endpoints): (req: IncomingMessage, res: ServerResponse) => void {
  const { lifecycle, metrics, explorer, graphql, cors, logger } = endpoints;
  const routes: Record<string, Route> = {
    "/healthz": lifecycle.healthz,
    "/metrics": async (_req, res) => {
      const text = await metrics.registry.metrics();
      res.setHeader("content-type", metrics.registry.contentType);
      res.end(text);
    },
    "/readyz": lifecycle.readyz,
    ...endpoints.auth,
    ...Object.fromEntries(SERVICE_NAMES.map((service) => [`/webhooks/${service}`, endpoints.webhooks])),
  };
  const dispatch = (req: IncomingMessage, res: ServerResponse, requestId: string): void => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (explorer && (path === EXPLORER_PATH || path.startsWith(`${EXPLORER_PATH}/`))) return explorer(req, res, path);
    const route = routes[path];
    if (!route && path !== "/" && path !== "/graphql")
      return refuse(res, 404, ErrorCode.NotFound, `Nothing here: GraphQL is served at /graphql`, requestId);
    const done = route ? route(req, res) : graphql(req, res, requestId, q === -1 ? "" : url.slice(q));
    void Promise.resolve(done).catch((error: unknown) => {
      logger.error({ err: error, requestId }, "unexpected error while answering");
      if (!res.headersSent) refuse(res, 500, ErrorCode.Internal, "Unexpected error", requestId);
      else res.destroy();
    });
  };
  return (req, res) => {
    const requestId = requestIdOf(header(req, "x-request-id"));
    res.setHeader("x-request-id", requestId);
    if (lifecycle.draining) res.setHeader("connection", "close"); // the client opens a new connection, to another replica
    cors(req, res, () => dispatch(req, res, requestId));
  };
}
