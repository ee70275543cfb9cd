import type { IncomingMessage } from "node:http";
import type { SessionConfig } from "../../config/session-config";
import { ForbiddenError } from "../../errors/bff-errors";

/**
 * CSRF defence for cookie-authenticated requests (the cookie is sent by the browser on its own):
 * the request must come from the BFF's own origin or a configured one. Browsers send `Origin` on
 * every POST and every cross-origin request; a same-origin GET without it must say so in
 * `Sec-Fetch-Site`. Anything else with the cookie (another site's form, a script elsewhere) is 403.
 */
export function checkOrigin(req: IncomingMessage, config: SessionConfig): void {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin === ownOrigin(req, config) || config.allowedOrigins.includes(origin)) return;
    throw new ForbiddenError(`Cross-origin request refused: ${origin} may not use the session cookie`, 403);
  }
  if (req.headers["sec-fetch-site"] === "same-origin") return;
  throw new ForbiddenError(
    "Request refused: a request authenticated by the session cookie must carry Origin (or Sec-Fetch-Site: same-origin)",
    403,
  );
}

/** The BFF's own origin as browsers see it: the redirect URI's, or (development) the Host the request came to. */
export function ownOrigin(req: IncomingMessage, config: SessionConfig): string {
  const configured = config.oidc.redirectUri;
  return configured ? new URL(configured).origin : `http://${req.headers.host ?? "localhost"}`;
}
