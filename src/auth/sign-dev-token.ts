import { SignJWT } from "jose";
import type { JwtConfig } from "../config/jwt-config";

/** Signs an HS256 token the way the development setup verifies it (used by `npm run token` and tests). */
export async function signDevToken(
  jwt: JwtConfig,
  claims: { sub: string; role?: string },
  ttlSeconds = 3_600,
): Promise<string> {
  if (!jwt.secret) throw new Error("no JWT secret configured");
  return new SignJWT({ role: claims.role ?? "customer" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(jwt.issuer)
    .setAudience(jwt.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(jwt.secret));
}
