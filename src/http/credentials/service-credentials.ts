import type { ConnectionOptions } from "node:tls";
import type { AxiosInstance } from "axios";
import type { UpstreamCredentialsConfig } from "../../config/credentials-config";
import { openSecret, type FileSecretOptions, type SecretSource } from "../../secrets/secret-source";
import type { ServiceName } from "../../services";
import type { ClientCredentials } from "./client-credentials";
import type * as ClientCredentialsModule from "./client-credentials";

/**
 * How the BFF proves who it is to one upstream, for the life of the process: the API key (a
 * secret that may rotate), mutual TLS (CA, client certificate and key, re-read when their files
 * change), and OAuth 2.0 client credentials. Transport-neutral: `apiKey.current()`, `headers()`
 * and `tlsOptions()` serve any HTTP client; `attachToAxios` is the glue for ours.
 */
export class ServiceCredentials {
  readonly apiKey: SecretSource;
  readonly oauth: ClientCredentials | null;
  private readonly tlsFiles: { ca: SecretSource | null; cert: SecretSource | null; key: SecretSource | null } | null;
  private readonly closers: Array<() => void> = [];

  constructor(
    service: ServiceName,
    config: UpstreamCredentialsConfig,
    secrets: FileSecretOptions & { readonly tokenRefreshSkewMs: number },
  ) {
    const open = (spec: Parameters<typeof openSecret>[0]): SecretSource => {
      const source = openSecret(spec, secrets);
      this.closers.push(() => source.close());
      return source;
    };
    this.apiKey = open(config.apiKey);
    const file = (path: string | null): SecretSource | null => (path ? open({ file: path }) : null);
    this.tlsFiles = config.tls
      ? { ca: file(config.tls.caFile), cert: file(config.tls.certFile), key: file(config.tls.keyFile) }
      : null;
    this.oauth = config.oauth
      ? new (clientCredentials())({
          service,
          tokenUrl: config.oauth.tokenUrl,
          clientId: config.oauth.clientId,
          clientSecret: open(config.oauth.clientSecret),
          scope: config.oauth.scope,
          refreshSkewMs: secrets.tokenRefreshSkewMs,
          now: secrets.now ?? Date.now,
        })
      : null;
  }

  /** Whether calls need more than the static API key header (then `headers()` is awaited per call). */
  get dynamic(): boolean {
    return this.oauth !== null;
  }

  /** Headers to add to one call, beyond the API key: the bearer token when client credentials are configured. */
  async headers(): Promise<Record<string, string>> {
    return this.oauth ? { Authorization: await this.oauth.authorization() } : {};
  }

  /** TLS options of the agent to this upstream (null: the default trust store, no client certificate). */
  tlsOptions(): Pick<ConnectionOptions, "ca" | "cert" | "key"> | null {
    if (!this.tlsFiles) return null;
    const { ca, cert, key } = this.tlsFiles;
    return {
      ...(ca ? { ca: ca.current() } : {}),
      ...(cert && key ? { cert: cert.current(), key: key.current() } : {}),
    };
  }

  /** Called when a certificate, key or CA file changed (the agent must be replaced). */
  onTlsChange(listener: () => void): void {
    for (const source of Object.values(this.tlsFiles ?? {})) source?.onChange(listener);
  }

  /**
   * Wires these credentials into an axios instance and its transport: the API key header
   * follows rotations, a rotated mTLS certificate replaces the transport's connections, and
   * (only with client credentials) a request interceptor adds the bearer token. With an API key
   * alone nothing is added to the call path.
   */
  attachToAxios(
    instance: AxiosInstance,
    transport: { useTls(tls: ReturnType<ServiceCredentials["tlsOptions"]>): void },
  ): void {
    const headers = instance.defaults.headers as unknown as Record<string, string>;
    this.apiKey.onChange((key) => {
      headers["X-Api-Key"] = key;
    });
    if (this.tlsFiles) this.onTlsChange(() => transport.useTls(this.tlsOptions()));
    const oauth = this.oauth;
    if (oauth) {
      instance.interceptors.request.use(async (config) => {
        config.headers.set("Authorization", await oauth.authorization());
        return config;
      });
      instance.interceptors.response.use(undefined, (error: { response?: { status?: number } }) => {
        if (error.response?.status === 401) oauth.invalidate();
        throw error;
      });
    }
  }

  close(): void {
    this.closers.forEach((close) => close());
  }
}

/** openid-client is loaded only for a service that uses client credentials. */
function clientCredentials(): typeof ClientCredentialsModule.ClientCredentials {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy: openid-client loads only when an upstream uses OAuth
  return (require("./client-credentials") as typeof ClientCredentialsModule).ClientCredentials;
}
