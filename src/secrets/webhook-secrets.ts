import type { Config } from "../config";
import { SERVICE_NAMES, type ServiceName } from "../services";
import { openSecret, type SecretSource } from "./secret-source";

/** Each upstream's Standard Webhooks secrets, rotating (`<SERVICE>_WEBHOOK_SECRET` or `_FILE`). */
export interface WebhookSecrets {
  /** What a signature may be checked against: the current secret, then the previous one during the rotation window. Empty: none configured. */
  secretsFor(service: ServiceName): readonly string[];
  /** Told when a service's secret file changed. */
  onChange(service: ServiceName, listener: () => void): void;
  close(): void;
}

const NONE: readonly string[] = Object.freeze([]);

export function openWebhookSecrets(config: Config, now: () => number, onError: (error: Error) => void): WebhookSecrets {
  const { rotationWindowMs, pollMs } = config.secrets;
  const sources = new Map<ServiceName, SecretSource>();
  for (const service of SERVICE_NAMES) {
    const spec = config.webhookSecrets[service];
    if (spec) sources.set(service, openSecret(spec, { rotationWindowMs, pollMs, now, onError }));
  }
  return {
    secretsFor: (service) => sources.get(service)?.values() ?? NONE,
    onChange: (service, listener) => {
      sources.get(service)?.onChange(listener);
    },
    close: () => sources.forEach((source) => source.close()),
  };
}
