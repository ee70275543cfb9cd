import type { Config } from "../../config";
import { SERVICE_NAMES, type ServiceName } from "../../services";
import { ServiceCredentials } from "./service-credentials";

/** Every upstream's credentials (process lifetime: created in createServer, closed with it). */
export function createUpstreamCredentials(
  config: Config,
  now: () => number,
  onError: (error: Error) => void,
): Record<ServiceName, ServiceCredentials> {
  const { rotationWindowMs, pollMs, tokenRefreshSkewMs } = config.secrets;
  return Object.fromEntries(
    SERVICE_NAMES.map((service) => [
      service,
      new ServiceCredentials(service, config.credentials[service], {
        rotationWindowMs,
        pollMs,
        tokenRefreshSkewMs,
        now,
        onError,
      }),
    ]),
  ) as Record<ServiceName, ServiceCredentials>;
}
