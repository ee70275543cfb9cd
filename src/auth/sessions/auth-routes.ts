import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { ErrorCode } from "../../errors/bff-errors";
import { sendJson } from "../../http/http-io";
import type { Sessions } from "./sessions";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The `/auth/*` endpoints, node-native, by path (spread into the server's route table):
 * `GET /auth/login`, `GET /auth/callback`, `POST /auth/logout`, `GET /auth/session`.
 */
export function authRoutes(sessions: Sessions, logger: Logger): Record<string, Handler> {
  const routes: Record<string, { method: string; run: (req: IncomingMessage, res: ServerResponse) => Promise<void> }> =
    {
      "/auth/login": { method: "GET", run: (req, res) => sessions.startLogin(req, res) },
      "/auth/callback": { method: "GET", run: (req, res) => sessions.finishLogin(req, res) },
      "/auth/logout": { method: "POST", run: (req, res) => sessions.logout(req, res) },
      "/auth/session": { method: "GET", run: (req, res) => describe(sessions, req, res) },
    };
  return Object.fromEntries(
    Object.entries(routes).map(([path, route]): [string, Handler] => [
      path,
      async (req, res) => {
        if (req.method !== route.method) {
          res.setHeader("allow", route.method);
          return refuse(res, 405, ErrorCode.BadRequest, `${path} answers ${route.method} only`, requestIdOf(res));
        }
        try {
          await route.run(req, res);
        } catch (error) {
          if (error instanceof GraphQLError) {
            const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 400;
            refuse(res, status, String(error.extensions.code), error.message, requestIdOf(res));
          } else {
            // Discovery or the token endpoint unreachable, or a bug: logged in full, answered without details.
            const requestId = requestIdOf(res);
            logger.error({ err: error, path, requestId }, "sign-in endpoint failed");
            send(res, 502, {
              errors: [
                {
                  message: "The identity provider is unavailable: try again",
                  extensions: { code: ErrorCode.UpstreamUnavailable, service: "identity", requestId },
                },
              ],
            });
          }
        }
      },
    ]),
  );
}

/** GET /auth/session: who is signed in, and until when. Never a token. */
async function describe(sessions: Sessions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const data = await sessions.resolve(req, res);
  if (!data) return send(res, 200, { authenticated: false });
  send(res, 200, {
    authenticated: true,
    user: { id: data.sub, role: data.role, name: data.name ?? null },
    expiresAt: new Date(data.exp * 1000).toISOString(),
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.setHeader("cache-control", "no-store");
  sendJson(res, status, body);
}

function refuse(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string | undefined,
): void {
  send(res, status, { errors: [{ message, extensions: { code, ...(requestId ? { requestId } : {}) } }] });
}

/** The request id the server put on the response (every answer carries x-request-id). */
function requestIdOf(res: ServerResponse): string | undefined {
  const id = res.getHeader("x-request-id");
  return typeof id === "string" ? id : undefined;
}
