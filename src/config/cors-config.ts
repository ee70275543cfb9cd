// Part of parseConfig (src/config.ts): browser origins allowed to call the BFF.
import { isOriginPattern, LOCALHOST_ORIGINS, type CorsConfig } from "../http/cors";
import type { EnvReaders } from "./env-readers";

/** `CORS_ORIGINS`: comma-separated exact origins or patterns, `*` (any origin, no credentials) or `none`. */
export function corsConfig({ env, problems, bool, int }: EnvReaders, production: boolean): CorsConfig {
  const raw = env.CORS_ORIGINS;
  const listed =
    raw === undefined || raw === ""
      ? production
        ? []
        : LOCALHOST_ORIGINS
      : raw === "none"
        ? []
        : raw
            .split(",")
            .map((o) => o.trim())
            .filter(Boolean);
  const bad = listed.filter((origin) => origin !== "*" && !isOriginPattern(origin));
  if (bad.length > 0)
    problems.push(
      `CORS_ORIGINS must list origins like https://app.example.com, https://*.example.com or http://localhost:*, "*" or "none"; not ${bad.map((o) => `"${o}"`).join(", ")}`,
    );
  const credentials = bool("CORS_CREDENTIALS", false);
  if (credentials && listed.includes("*"))
    problems.push("CORS_CREDENTIALS=true cannot be combined with CORS_ORIGINS=*: list the origins");
  return {
    origins: bad.length > 0 ? [] : listed,
    credentials,
    maxAgeSeconds: int("CORS_MAX_AGE_SECONDS", 600, 0, 86_400),
  };
}
