import type { JWTPayload } from "jose";
import type { TokenSet } from "openid-client";
import { UnauthenticatedError } from "../../errors/bff-errors";
import type { Viewer } from "../viewer";

/** What the sealed session cookie holds. Only the BFF can read it; /auth/session shows the user part only. */
export interface SessionData extends JWTPayload {
  readonly sub: string;
  readonly role: Viewer["role"];
  readonly name?: string;
  /** Access token, its expiry (ms), refresh token and ID token: never sent to the browser in the clear. */
  readonly at: string;
  readonly ate: number;
  readonly rt?: string;
  readonly idt?: string;
  readonly exp: number;
}

/** The session of a token set (at `now`, ms), until `expiresAtMs`: what a refresh leaves out is kept from `previous`. */
export function sessionFrom(
  tokens: TokenSet,
  expiresAtMs: number,
  previous: SessionData | undefined,
  now: number,
): SessionData {
  const claims = tokens.id_token ? tokens.claims() : previous;
  const role = claims?.role ?? "customer";
  if (!claims?.sub || (role !== "customer" && role !== "admin"))
    throw new UnauthenticatedError("The identity provider's token has no user id or an unknown role", 401);
  if (!tokens.access_token) throw new UnauthenticatedError("The identity provider issued no access token", 401);
  return {
    sub: claims.sub,
    role,
    name: typeof claims.name === "string" ? claims.name : undefined,
    at: tokens.access_token,
    ate: now + (tokens.expires_in ?? 300) * 1000,
    rt: tokens.refresh_token ?? previous?.rt,
    idt: tokens.id_token ?? previous?.idt,
    exp: Math.floor(expiresAtMs / 1000),
  };
}
