// Part of parseConfig (src/config.ts): secrets given as values or files, and how the BFF proves who it
// is to each upstream. It reads only the `env` it is handed, as parseConfig does.
import type { ServiceName } from "../services";
import { readSecretFile, type SecretSpec } from "../secrets/secret-source";
import type { Env, EnvReaders } from "./env-readers";

export interface UpstreamCredentialsConfig {
  readonly apiKey: SecretSpec;
  /** Mutual TLS: the CA that signs the upstream's certificate, and the BFF's client certificate and key (PEM files). */
  readonly tls: {
    readonly caFile: string | null;
    readonly certFile: string | null;
    readonly keyFile: string | null;
  } | null;
  /** OAuth 2.0 client credentials: a bearer token from `tokenUrl`, cached until shortly before it expires. */
  readonly oauth: {
    readonly tokenUrl: string;
    readonly clientId: string;
    readonly clientSecret: SecretSpec;
    readonly scope: string | null;
  } | null;
}

export interface SecretsConfig {
  /** How long a rotated-out secret is still accepted (webhook signatures, session cookies), in ms. */
  readonly rotationWindowMs: number;
  /** How often `_FILE` secrets are checked for changes, in ms. */
  readonly pollMs: number;
  /** A cached client-credentials token is replaced this long before it expires, in ms. */
  readonly tokenRefreshSkewMs: number;
}

/** Development webhook secret of a service (the demo upstreams sign with it). */
export const devWebhookSecret = (service: ServiceName): string =>
  `whsec_${Buffer.from(`storefront-dev-${service}-webhooks`).toString("base64")}`;

const devApiKey = (service: ServiceName): string => `dev-${service}-key`;

/** `secret(NAME)`: a secret from `NAME` or `NAME_FILE` (not both), the file readable now; `readFile(NAME)`: a file path that must be readable. */
export function secretReaders(env: Env, problems: string[]) {
  const secret = (name: string): SecretSpec | null => {
    const value = env[name];
    const file = env[`${name}_FILE`];
    if (value && file) problems.push(`set ${name} or ${name}_FILE, not both`);
    if (file) {
      check(`${name}_FILE`, file);
      return { file };
    }
    return value ? { value } : null;
  };
  const readFile = (name: string): string | null => {
    const file = env[name];
    if (file) check(name, file);
    return file || null;
  };
  const check = (name: string, file: string): void => {
    try {
      readSecretFile(file);
    } catch (error) {
      problems.push(`${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${file})`);
    }
  };
  return { secret, readFile };
}

interface Helpers {
  readonly url: (name: string) => string | null;
  readonly secret: (name: string) => SecretSpec | null;
  readonly readFile: (name: string) => string | null;
  readonly perService: <T>(read: (service: ServiceName, prefix: string) => T) => Record<ServiceName, T>;
  readonly problems: string[];
}

export function parseCredentials(
  env: Env,
  production: boolean,
  { url, secret, readFile, perService, problems }: Helpers,
) {
  const credentials = perService((service, prefix): UpstreamCredentialsConfig => {
    let apiKey = secret(`${prefix}_API_KEY`);
    if (!apiKey) {
      if (production) problems.push(`${prefix}_API_KEY is required in production (or ${prefix}_API_KEY_FILE)`);
      apiKey = { value: devApiKey(service) };
    }
    const [caFile, certFile, keyFile] = [
      readFile(`${prefix}_TLS_CA_FILE`),
      readFile(`${prefix}_TLS_CERT_FILE`),
      readFile(`${prefix}_TLS_KEY_FILE`),
    ];
    if ((certFile === null) !== (keyFile === null))
      problems.push(`${prefix}_TLS_CERT_FILE and ${prefix}_TLS_KEY_FILE go together`);
    const tokenUrl = url(`${prefix}_OAUTH_TOKEN_URL`);
    const clientId = env[`${prefix}_OAUTH_CLIENT_ID`];
    const clientSecret = secret(`${prefix}_OAUTH_CLIENT_SECRET`);
    const oauthSet = [tokenUrl, clientId, clientSecret].filter((v) => v).length;
    if (oauthSet > 0 && oauthSet < 3)
      problems.push(
        `${prefix}_OAUTH_TOKEN_URL, ${prefix}_OAUTH_CLIENT_ID and ${prefix}_OAUTH_CLIENT_SECRET (or _FILE) go together`,
      );
    return {
      apiKey,
      tls: caFile || certFile ? { caFile, certFile, keyFile } : null,
      oauth:
        tokenUrl && clientId && clientSecret
          ? { tokenUrl, clientId, clientSecret, scope: env[`${prefix}_OAUTH_SCOPE`] || null }
          : null,
    };
  });
  const apiKeys = perService((service) => {
    const spec = credentials[service].apiKey;
    if ("value" in spec) return spec.value;
    try {
      return readSecretFile(spec.file);
    } catch {
      return ""; // reported above
    }
  });
  const webhookSecrets = perService((_, prefix) => secret(`${prefix}_WEBHOOK_SECRET`));
  return { credentials, apiKeys, webhookSecrets };
}

export function secretsConfig({ int }: EnvReaders): SecretsConfig {
  return {
    rotationWindowMs: int("SECRET_ROTATION_WINDOW_SECONDS", 3_600, 0, 7 * 86_400) * 1000,
    pollMs: int("SECRET_FILE_POLL_MS", 1_000, 10, 600_000),
    tokenRefreshSkewMs: int("OAUTH_TOKEN_REFRESH_SKEW_SECONDS", 30, 0, 3_600) * 1000,
  };
}
