import type { StaleListener } from "../src/cache/cache-lookup";
import type { HttpCache } from "../src/cache/http-cache";
import type { ServiceClient } from "../src/http/service-clients";
import { ServiceHttp, type CallerMeta } from "../src/http/service-http";
import type { ServiceName } from "../src/services";
import { buildDataSources, type DataSources } from "./registry";
import { fanOutWidth } from "./shared/fan-out";

/** Every upstream, as the resolvers of one request see it (one per line of services.json). */
export type { DataSources };

/** Process-lifetime pieces the per-request datasources are built from. */
export interface DataSourceDeps {
  readonly clients: Record<ServiceName, ServiceClient>;
  readonly cache: HttpCache;
  readonly fanOutConcurrency: number;
}

/** Called once per client request: every DataLoader lives in these objects and dies with the request. */
export function createDataSources(deps: DataSourceDeps, caller: CallerMeta, onStale: StaleListener): DataSources {
  return buildDataSources((service) => {
    const client = deps.clients[service];
    return {
      http: new ServiceHttp(client, caller),
      cache: deps.cache,
      fanOutWidth: (count) => fanOutWidth(client.inFlight, deps.fanOutConcurrency, count),
      onStale,
    };
  });
}
