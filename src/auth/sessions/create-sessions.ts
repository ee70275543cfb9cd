import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Config } from "../../config";
import { openSecret } from "../../secrets/secret-source";
import { authRoutes } from "./auth-routes";
import { RelyingParty } from "./oidc-relying-party";
import { CookieSealer } from "./sealed-cookie";
import { Sessions } from "./sessions";

export interface BrowserSessions {
  readonly sessions: Sessions;
  /** The /auth/* endpoints, by path. */
  readonly routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  close(): void;
}

/** Browser sessions against `issuerUrl` (configured, or the demo provider main.ts started); process lifetime. */
export function createBrowserSessions(
  config: Config,
  issuerUrl: string,
  now: () => number,
  logger: Logger,
): BrowserSessions {
  const { sessions: settings, secrets } = config;
  const fileOptions = {
    rotationWindowMs: secrets.rotationWindowMs,
    pollMs: secrets.pollMs,
    now,
    onError: (error: Error) => logger.error({ err: error.message }, "secret file unreadable: keeping the last value"),
  };
  const sessionSecret = openSecret(settings.secret, fileOptions);
  const clientSecret = openSecret(settings.oidc.clientSecret, fileOptions);
  const rp = new RelyingParty({ issuerUrl, clientId: settings.oidc.clientId, clientSecret });
  const sessions = new Sessions(settings, rp, new CookieSealer(sessionSecret, "session-cookie", now), now, logger);
  return {
    sessions,
    routes: authRoutes(sessions, logger),
    close: () => {
      sessionSecret.close();
      clientSecret.close();
    },
  };
}
