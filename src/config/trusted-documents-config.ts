// Part of parseConfig (src/config.ts): which documents clients may send (docs/clients/persisted-documents.md).
import type { TrustedDocumentsMode } from "../http/persisted-documents";
import type { EnvReaders } from "./env-readers";

export interface TrustedDocumentsConfig {
  /** The mode of callers that name no app listed in `clientModes`. */
  readonly mode: TrustedDocumentsMode;
  /** Mode per client app, by its `apollographql-client-name`. */
  readonly clientModes: Readonly<Record<string, TrustedDocumentsMode>>;
  /** Admin tokens may send arbitrary documents in `enforce` mode. */
  readonly adminBypass: boolean;
  /** GraphQL Code Generator's persisted documents (`{"<id>": "<text>"}`). */
  readonly manifestPath: string;
  /** Apollo persisted query manifests, by client app. */
  readonly apolloManifests: Readonly<Record<string, string>>;
}

const MODES = ["off", "allow", "enforce"] as const;

export function trustedDocumentsConfig(read: EnvReaders, production: boolean): TrustedDocumentsConfig {
  const { env, oneOf } = read;
  return {
    mode: oneOf("TRUSTED_DOCUMENTS", MODES, production ? "enforce" : "allow"),
    clientModes: pairs(
      read,
      "TRUSTED_DOCUMENTS_CLIENTS",
      "",
      (raw) => ((MODES as readonly string[]).includes(raw) ? (raw as TrustedDocumentsMode) : null),
      `${MODES.join("|")}`,
    ),
    adminBypass: oneOf("TRUSTED_DOCUMENTS_ADMIN_BYPASS", ["true", "false"] as const, "false") === "true",
    manifestPath: env.PERSISTED_DOCUMENTS_FILE || "operations/persisted-documents.json",
    apolloManifests: pairs(
      read,
      "PERSISTED_QUERY_MANIFESTS",
      "mobile=operations/manifests/mobile.json,web=operations/manifests/web.json",
      (raw) => raw,
      "path",
    ),
  };
}

/** `name=value,name=value`: names of client apps (letters, digits, `.`, `_`, `-`), each once. */
function pairs<T extends string>(
  { env, problems }: EnvReaders,
  name: string,
  fallback: string,
  value: (raw: string) => T | null,
  expected: string,
): Record<string, T> {
  const raw = env[name] ?? fallback;
  const result: Record<string, T> = {};
  for (const item of raw
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9._-]+)=(.+)$/.exec(item);
    const parsed = match ? value(match[2]!.trim()) : null;
    if (!match || parsed === null || Object.hasOwn(result, match[1]!)) {
      problems.push(`${name} must be a comma-separated list of app=${expected} (each app once), got "${raw}"`);
      return {};
    }
    result[match[1]!] = parsed;
  }
  return result;
}
