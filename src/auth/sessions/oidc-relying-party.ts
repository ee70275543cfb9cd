import { Issuer, type BaseClient } from "openid-client";
import type { SecretSource } from "../../secrets/secret-source";

export interface RelyingPartySettings {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret: SecretSource;
}

/**
 * The BFF as a confidential OpenID Connect client (openid-client 5). The provider is found by
 * discovery at the first use, not at start, so the BFF starts (and serves bearer clients) while
 * the provider is down; a failed discovery is retried on the next sign-in. A rotated client
 * secret (a `_FILE` secret) takes effect at the next call.
 */
export class RelyingParty {
  private client: Promise<BaseClient> | null = null;

  constructor(private readonly settings: RelyingPartySettings) {
    settings.clientSecret.onChange(() => {
      this.client = null;
    });
  }

  get(): Promise<BaseClient> {
    if (!this.client) {
      const { issuerUrl, clientId, clientSecret } = this.settings;
      this.client = Issuer.discover(issuerUrl).then(
        (issuer) =>
          new issuer.Client({
            client_id: clientId,
            client_secret: clientSecret.current(),
            response_types: ["code"],
            token_endpoint_auth_method: "client_secret_basic",
          }),
      );
      this.client.catch(() => {
        this.client = null;
      });
    }
    return this.client;
  }
}
