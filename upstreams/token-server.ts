import { randomBytes } from "node:crypto";
import express, { type Express } from "express";
import { faultInjector } from "./faults";
import { createControl, type ServiceControl } from "./service-control";

/**
 * The demo OAuth 2.0 token endpoint (client credentials grant, RFC 6749 §4.4) the demo upstreams
 * trust when they require a bearer token: `POST /oauth/token` with HTTP Basic client
 * authentication (or client_id/client_secret in the form). Tokens are opaque, expire after
 * `ttlSeconds` on the upstreams' clock, and are checked by `valid()`.
 */
export interface TokenIssuer {
  readonly control: ServiceControl;
  /** Token requests answered with a token. */
  readonly issued: { count: number };
  valid(token: string): boolean;
  app(): Express;
}

export interface TokenIssuerOptions {
  /** client id -> secret; a secret may be changed while running (rotation tests). */
  readonly clients: Map<string, string>;
  readonly ttlSeconds: number;
  readonly now: () => number;
}

export function createTokenIssuer({ clients, ttlSeconds, now }: TokenIssuerOptions): TokenIssuer {
  const tokens = new Map<string, number>();
  const control = createControl("oauth");
  const issued = { count: 0 };
  return {
    control,
    issued,
    valid: (token) => (tokens.get(token) ?? 0) > now(),
    app: () => {
      const app = express();
      app.disable("x-powered-by");
      const faults = faultInjector(() => control.faults);
      control.onChange = faults.changed;
      app.use(faults.inject);
      app.post("/oauth/token", express.urlencoded({ extended: false, limit: "8kb" }), (req, res) => {
        res.set("Cache-Control", "no-store");
        const body = (req.body ?? {}) as Record<string, string | undefined>;
        const [id, secret] = basicCredentials(req.get("authorization")) ?? [body.client_id, body.client_secret];
        if (!id || clients.get(id) === undefined || clients.get(id) !== secret) {
          res.status(401).json({ error: "invalid_client", error_description: "unknown client or wrong secret" });
          return;
        }
        if (body.grant_type !== "client_credentials") {
          res.status(400).json({ error: "unsupported_grant_type" });
          return;
        }
        const token = randomBytes(24).toString("base64url");
        tokens.set(token, now() + ttlSeconds * 1000);
        issued.count += 1;
        res.json({
          access_token: token,
          token_type: "Bearer",
          expires_in: ttlSeconds,
          ...(body.scope ? { scope: body.scope } : {}),
        });
      });
      return app;
    },
  };
}

function basicCredentials(header: string | undefined): [string, string] | null {
  const match = header ? /^Basic ([A-Za-z0-9+/=]+)$/.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, "base64").toString();
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
  return [
    decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
    decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
  ];
}
