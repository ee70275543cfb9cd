import type { DataSources } from "../../datasources";
import type { StaleListener } from "../cache/cache-lookup";
import { explained, type ExplainRecorder } from "./explain";

/** The stale listener of an explained request: also lists the lookups that made no upstream call. */
export function explainedListener(onStale: StaleListener, explain: ExplainRecorder): StaleListener {
  return Object.assign((service: string, key: string, ageMs: number) => onStale(service, key, ageMs), {
    lookup: (service: string, result: string, count: number) => {
      if (result === "fresh" || result === "coalesced" || result === "stale_served")
        explain.lookup(service, result === "stale_served" ? "stale" : result, count);
    },
  });
}

/** Every datasource of an explained request notes which field asked it. */
export function explainedSources(sources: DataSources, explain: ExplainRecorder): DataSources {
  const wrapped = {} as Record<string, unknown>;
  for (const [service, source] of Object.entries(sources))
    wrapped[service] = explained(source as object, service, explain);
  return wrapped as unknown as DataSources;
}
