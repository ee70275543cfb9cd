import { SignJWT } from "jose";
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from "../../src/config/jwt-config";

export const TEST_JWT = { secret: DEV_JWT_SECRET, jwksUrl: null, issuer: DEV_ISSUER, audience: DEV_AUDIENCE } as const;

interface TokenOptions {
  role?: string;
  issuer?: string;
  audience?: string;
  expiresInSeconds?: number;
  secret?: string;
}

/** A real HS256 JWT, signed as the development setup expects unless told otherwise. */
export function token(sub: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: options.role ?? "customer" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuer(options.issuer ?? TEST_JWT.issuer)
    .setAudience(options.audience ?? TEST_JWT.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 600))
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT.secret));
}

export const adminToken = (sub = "u-0050"): Promise<string> => token(sub, { role: "admin" });

/** An unsigned token (`alg: none`) claiming to be an admin. */
export function unsignedToken(sub: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub, role: "admin", iss: TEST_JWT.issuer, aud: TEST_JWT.audience, exp: now + 600 })}.`;
}
