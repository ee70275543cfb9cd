import { Issuer, type BaseClient } from "openid-client";
import { UpstreamError } from "../../errors/upstream-error";
import type { SecretSource } from "../../secrets/secret-source";
import type { ServiceName } from "../../services";

export interface ClientCredentialsSettings {
  readonly service: ServiceName;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: SecretSource;
  readonly scope: string | null;
  /** A token is replaced this long before it expires. */
  readonly refreshSkewMs: number;
  readonly now: () => number;
}

/**
 * OAuth 2.0 client credentials for one upstream (openid-client 5 does the grant and client
 * authentication). The token is cached until `refreshSkewMs` before it expires; concurrent calls
 * share one token request (one refresh at a time). A token endpoint that fails is that upstream's
 * failure: an UpstreamError naming the service, retried and counted by its policies like any other.
 */
export class ClientCredentials {
  private token: { header: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private client: BaseClient | null = null;
  /** Token requests made (for tests and metrics). */
  requests = 0;

  constructor(private readonly settings: ClientCredentialsSettings) {
    settings.clientSecret.onChange(() => {
      this.client = null;
      this.token = null;
    });
  }

  /** The client secret (it may rotate: a `_FILE` secret). */
  get clientSecret(): SecretSource {
    return this.settings.clientSecret;
  }

  /** `Bearer <token>`: the cached one, or a fresh one. */
  authorization(): Promise<string> | string {
    const token = this.token;
    if (token && token.expiresAt - this.settings.refreshSkewMs > this.settings.now()) return token.header;
    if (!this.pending)
      this.pending = this.fetch().finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  /** The upstream refused the token (401): the next call gets a new one. */
  invalidate(): void {
    this.token = null;
  }

  private async fetch(): Promise<string> {
    const { service, scope, now } = this.settings;
    this.requests += 1;
    const started = now();
    try {
      const tokens = await this.oauthClient().grant({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
      if (!tokens.access_token) throw new Error("no access_token in the token response");
      const header = `Bearer ${tokens.access_token}`;
      this.token = { header, expiresAt: started + (tokens.expires_in ?? 60) * 1000 };
      return header;
    } catch (error) {
      const name = (error as { name?: string }).name;
      // The endpoint answered with an error (bad secret, 5xx): 502; it did not answer: a network failure.
      throw name === "OPError" || (error as { response?: unknown }).response
        ? new UpstreamError(service, "status", 502, "TOKEN_REQUEST_FAILED")
        : new UpstreamError(service, "network");
    }
  }

  private oauthClient(): BaseClient {
    if (!this.client) {
      const { tokenUrl, clientId, clientSecret } = this.settings;
      const issuer = new Issuer({ issuer: tokenUrl, token_endpoint: tokenUrl });
      this.client = new issuer.Client({
        client_id: clientId,
        client_secret: clientSecret.current(),
        token_endpoint_auth_method: "client_secret_basic",
      });
    }
    return this.client;
  }
}
