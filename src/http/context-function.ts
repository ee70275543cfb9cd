import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Sessions } from "../auth/sessions/sessions";
import type { Viewer } from "../auth/viewer";
import { createContext, endContext, type Context, type ContextDeps, type RequestHeaders } from "../context";
import type { Observation } from "./graphql-handler";

/** The allowlist of headers the BFF reads of an incoming request. */
export function readHeaders(headers: IncomingHttpHeaders): RequestHeaders {
  const one = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { authorization: one("authorization"), requestId: one("x-request-id"), traceparent: one("traceparent") };
}

/** The per-request context, from an allowlist of what the request carries. */
export function contextFunction(
  deps: ContextDeps,
  logger: Logger,
  sessions: Sessions | null,
  onContext?: (context: Context) => void,
) {
  return async (
    req: IncomingMessage,
    res: ServerResponse,
    clientIp: string,
    requestId: string,
    verified: Viewer | null | undefined,
    observation: Observation,
  ): Promise<Context> => {
    const headers = { ...readHeaders(req.headers), requestId };
    try {
      // No Authorization header: the browser session cookie, if any (CSRF-checked; 401 when it does not open).
      if (verified === undefined && !headers.authorization && sessions?.hasCookie(req))
        verified = await sessions.viewerFrom(req, res);
      const context = await createContext({ headers, clientIp, verified, ...observation }, deps);
      // Written, or the client went away: then its upstream calls are cancelled.
      res.once("close", () => endContext(context, !res.writableFinished));
      onContext?.(context);
      return context;
    } catch (error) {
      // Refused before any plugin runs (an invalid token): still one log line for the request.
      logger.info(
        {
          requestId,
          status: (error as { extensions?: { http?: { status?: number } } }).extensions?.http?.status ?? 401,
          clientIp,
          reason: (error as Error).message,
        },
        "graphql request refused",
      );
      throw error;
    }
  };
}
