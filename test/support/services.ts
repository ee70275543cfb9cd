// Tests name services through the one list (services.json), never by a list of their own.
import { SERVICE_NAMES, type ServiceName } from "../../src/services";

/**
 * Variables of every service: `serviceEnv((s) => ({ URL: url, API_KEY: key }))` gives
 * `CATALOG_URL`, `CATALOG_API_KEY`, ... for each service of services.json.
 */
export function serviceEnv(
  vars: (service: ServiceName, index: number) => Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    SERVICE_NAMES.flatMap((service, i) => {
      const prefix = service.toUpperCase();
      return Object.entries(vars(service, i)).map(([name, value]) => [`${prefix}_${name}`, value]);
    }),
  );
}

/** One value per service: `perService((s) => `dev-${s}-key`)`. */
export const perService = <T>(value: (service: ServiceName) => T): Record<ServiceName, T> =>
  Object.fromEntries(SERVICE_NAMES.map((s) => [s, value(s)])) as Record<ServiceName, T>;

/** The call counts of a request that reached no upstream. */
export const NO_CALLS: Readonly<Record<ServiceName, number>> = perService(() => 0);
