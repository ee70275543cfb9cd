// Tests name services through the one list (services.json), never by a list of their own.
import { SERVICE_NAMES, type ServiceName } from "../../src/services";

/**
 * Variables of every service: `serviceEnv((s) => ({ URL: url, API_KEY: key }))` gives
 * `CATALOG_URL`, `CATALOG_API_KEY`, ... for each service of services.json.
 */
export function serviceEnv(vars: (service: ServiceName, index: number) => Record<string, string>): Record<string, string> {
  return Object.fromEntries(SERVICE_NAMES.flatMap((service, i) =>
    Object.entries(vars(service, i)).map(([suffix, value]) => [`${service.toUpperCase()}_${suffix}`, value])));
}

/** One value per service: `perService((s) => `dev-${s}-key`)`. */
export const perService = <T>(value: (service: ServiceName) => T): Record<ServiceName, T> =>
  Object.fromEntries(SERVICE_NAMES.map((service) => [service, value(service)])) as Record<ServiceName, T>;

/** The call counts of a request that reached no upstream. */
export const NO_CALLS: Readonly<Record<ServiceName, number>> = perService(() => 0);
