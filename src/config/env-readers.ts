// Part of parseConfig (src/config.ts): how one variable is read. Every reader reports what it
// refuses to `problems` and returns its fallback, so that all problems are reported at once.
import { SERVICE_NAMES, type ServiceName } from "../services";

/** The environment parseConfig is handed (process.env in main.ts); nothing else reads it. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvReaders {
  readonly env: Env;
  readonly problems: string[];
  /** An integer in min..max; unset or empty: the fallback. */
  readonly int: (name: string, fallback: number, min: number, max: number) => number;
  /** A number in (0, below] (or (0, below) when not inclusive). */
  readonly ratio: (name: string, fallback: number, below?: number, inclusive?: boolean) => number;
  readonly oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T) => T;
  /** `true` or `false`. */
  readonly bool: (name: string, fallback: boolean) => boolean;
  /** A URL without its trailing slash; unset or empty: null. */
  readonly url: (name: string) => string | null;
  /** `read` once per upstream, with its variables' prefix (`CATALOG`, ...). */
  readonly perService: <T>(read: (service: ServiceName, prefix: string) => T) => Record<ServiceName, T>;
}

export function envReaders(env: Env, problems: string[]): EnvReaders {
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const ratio = (name: string, fallback: number, below = 1, inclusive = true): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!(value > 0 && (inclusive ? value <= below : value < below))) {
      problems.push(`${name} must be a number in (0, ${below}${inclusive ? "]" : ")"}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };
  const bool = (name: string, fallback: boolean): boolean =>
    oneOf(name, ["true", "false"] as const, fallback ? "true" : "false") === "true";
  const url = (name: string): string | null => {
    const raw = env[name];
    if (!raw) return null;
    try {
      return new URL(raw).toString().replace(/\/$/, "");
    } catch {
      problems.push(`${name} is not a URL: "${raw}"`);
      return null;
    }
  };
  const perService = <T>(read: (service: ServiceName, prefix: string) => T): Record<ServiceName, T> =>
    Object.fromEntries(SERVICE_NAMES.map((s) => [s, read(s, s.toUpperCase())])) as Record<ServiceName, T>;
  return { env, problems, int, ratio, oneOf, bool, url, perService };
}
