import type { StaleListener } from "../../src/cache/cache-lookup";
import type { HttpCache } from "../../src/cache/http-cache";
import type { ServiceHttp } from "../../src/http/service-http";

/** What every datasource is built with, once per client request. */
export interface SourceDeps {
  readonly http: ServiceHttp;
  /** Shared across requests and replicas: viewer-independent GET data only. */
  readonly cache: HttpCache;
  /** Parallel calls of a batch of `count` ids, for services without a batch endpoint (fan-out.ts). */
  readonly fanOutWidth: (count: number) => number;
  /** Told when the cache answered with a stale value because the upstream failed. */
  readonly onStale: StaleListener;
}
