// Part of parseConfig (src/config.ts): how bearer tokens are verified.
import type { EnvReaders } from "./env-readers";

export interface JwtConfig {
  readonly secret: string | null;
  readonly jwksUrl: string | null;
  readonly issuer: string;
  readonly audience: string;
}

/** Development-only defaults; production refuses to start with them. */
export const DEV_JWT_SECRET = "storefront-dev-secret-do-not-use-in-production";
export const DEV_ISSUER = "https://auth.storefront.local/";
export const DEV_AUDIENCE = "storefront-bff";

export function jwtConfig({ env, url, problems }: EnvReaders, production: boolean): JwtConfig {
  const jwtSecret = env.JWT_SECRET || null;
  const jwksUrl = url("JWT_JWKS_URL");
  if (jwtSecret && jwtSecret.length < 32) problems.push("JWT_SECRET must be at least 32 characters");
  if (production && !jwksUrl && !jwtSecret) problems.push("JWT_JWKS_URL (or JWT_SECRET) is required in production");
  if (production && (!env.JWT_ISSUER || !env.JWT_AUDIENCE))
    problems.push("JWT_ISSUER and JWT_AUDIENCE are required in production");
  return {
    secret: jwtSecret ?? (production || jwksUrl ? null : DEV_JWT_SECRET),
    jwksUrl,
    issuer: env.JWT_ISSUER || DEV_ISSUER,
    audience: env.JWT_AUDIENCE || DEV_AUDIENCE,
  };
}
