// The only file that listens. `npm start`: the BFF on PORT (4000), with the demo upstreams
// started in-process when no upstream URL is configured.
import "reflect-metadata";
import type { IdentityProvider } from "../upstreams/identity-provider";
import type { Upstreams } from "../upstreams/start";
import { ConfigError, parseConfig } from "./config";
import { heapLimitWarning } from "./heap-limit";
import { createLogger, flushLogger } from "./logger";
import { readSecretFile } from "./secrets/secret-source";
import { createServer } from "./server";
import { exitAfterDrain } from "./shutdown";

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel);
  const heapWarning = heapLimitWarning(config.memory);
  if (heapWarning) logger.warn(heapWarning);
  let upstreams: Upstreams | null = null;
  if (!config.upstreamUrls) {
    const { DEFAULT_PORTS, startUpstreams } = await import("../upstreams/start.js"); // development only: production never loads them
    // With PAYMENTS_WEBHOOK_SECRET set, the demo payments service notifies this BFF of payment outcomes.
    const spec = config.webhookSecrets.payments;
    const secret = spec && ("value" in spec ? spec.value : readSecretFile(spec.file));
    const webhooks = secret ? { url: `http://127.0.0.1:${config.port}/webhooks/payments`, secret } : undefined;
    const demo = await startUpstreams({
      ports: DEFAULT_PORTS,
      apiKeys: config.apiKeys,
      latencyMs: config.demoLatencyMs,
      webhooks,
    });
    logger.info(
      { upstreams: demo.urls },
      "started the demo upstreams in-process (set the *_URL variables to use real ones)",
    );
    upstreams = demo;
  }
  let idp: IdentityProvider | null = null;
  const { oidc } = config.sessions;
  if (!oidc.issuerUrl && !config.production) {
    const clientSecret =
      "value" in oidc.clientSecret ? oidc.clientSecret.value : readSecretFile(oidc.clientSecret.file);
    const { startIdentityProvider } = await import("../upstreams/identity-provider.js"); // development only, as the demo upstreams
    idp = await startIdentityProvider({
      port: config.sessions.demoIdpPort,
      host: "127.0.0.1",
      clientId: oidc.clientId,
      clientSecret,
    });
    logger.info(
      { issuer: idp.issuer },
      "started the demo identity provider in-process (set OIDC_ISSUER_URL to use a real one)",
    );
  }
  const server = await createServer(config, { upstreamUrls: upstreams?.urls, oidcIssuerUrl: idp?.issuer, logger });
  const url = await server.listen(config.port, config.host);
  // The demo invalidating services (services.json) notify this BFF of their changes (signed
  // webhooks: cache invalidation), each once its secret is configured.
  upstreams?.sendEventsTo(`http://127.0.0.1:${config.port}`, (service) => server.webhookSecrets.secretsFor(service)[0]);
  logger.info(
    {
      url,
      sandbox: config.production ? null : `http://localhost:${config.port}`,
      explorer: config.explorer ? `http://localhost:${config.port}/explorer` : null,
    },
    "storefront BFF ready",
  );

  exitAfterDrain(
    process,
    async () => {
      await server.drain();
      await upstreams?.close();
      await idp?.close();
    },
    () => flushLogger(logger),
    (code) => process.exit(code),
    logger,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
