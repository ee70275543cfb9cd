import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { LRUCache } from "lru-cache";
import type { JwtConfig } from "../config/jwt-config";
import { UnauthenticatedError } from "../errors/bff-errors";
import type { Viewer } from "./viewer";

export interface TokenVerifier {
  /** Null for no header (anonymous); throws UnauthenticatedError (401) for anything invalid. */
  viewerFrom(authorization: string | undefined): Promise<Viewer | null>;
}

const ASYMMETRIC = ["RS256", "ES256"];

/** Verified tokens are remembered this long at most (and never past their `exp`), so a revoked JWKS key stops working soon. */
const REMEMBER_MS = 60_000;

/**
 * Verifies client JWTs with jose: HS256 against the shared secret (development) and
 * RS256/ES256 against the identity provider's JWKS (production). `iss`, `aud`, `exp`
 * and `sub` are required; `alg: none` and every other algorithm are refused.
 */
export function createTokenVerifier(config: JwtConfig, now: () => number = Date.now): TokenVerifier {
  const secret = config.secret ? new TextEncoder().encode(config.secret) : null;
  const jwks = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 3_000 }) : null;
  const algorithms = [...(secret ? ["HS256"] : []), ...(jwks ? ASYMMETRIC : [])];
  const keyFor: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === "HS256" && secret) return secret;
    if (jwks && ASYMMETRIC.includes(header.alg)) return jwks(header, token);
    throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
  };

  // A client sends the same token with every request: verify it once, not per request.
  const verified = new LRUCache<string, { viewer: Viewer; until: number }>({ max: 10_000 });

  return {
    async viewerFrom(authorization) {
      if (authorization === undefined || authorization === "") return null;
      const known = verified.get(authorization);
      if (known && known.until > now()) return known.viewer;
      const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization);
      if (!match)
        throw new UnauthenticatedError(
          "Malformed Authorization header: expected 'Bearer <token>'",
          401,
          "invalid_request",
        );
      try {
        const { payload } = await jwtVerify(match[1] as string, keyFor, {
          algorithms,
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ["exp", "sub"],
        });
        const role = payload.role ?? "customer";
        if (role !== "customer" && role !== "admin")
          throw new errors.JWTClaimValidationFailed(`unknown role`, payload, "role");
        const viewer: Viewer = { id: payload.sub as string, role };
        verified.set(authorization, { viewer, until: Math.min((payload.exp as number) * 1000, now() + REMEMBER_MS) });
        return viewer;
      } catch (error) {
        throw new UnauthenticatedError(`Invalid token: ${reason(error)}`, 401);
      }
    },
  };
}

/** A short, safe reason for the client (jose's codes carry no secrets). */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "algorithm not allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad signature";
  if (error instanceof errors.JOSEError) return error.code;
  return "unverifiable";
}
