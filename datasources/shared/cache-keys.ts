/**
 * The shared cache's key convention, `service:resource:version:id`, for every datasource and
 * for the webhooks that drop entries (src/webhooks/invalidation-handlers.ts): written in one
 * place, so that a key written by a datasource is the key a webhook drops.
 */
const VERSION = "v1";

/** The key of one entity (`catalog:product:v1:p-0001`), or of a list page (id: its query). */
export const cacheKey = (service: string, resource: string, id: string): string =>
  `${service}:${resource}:${VERSION}:${id}`;

/** What every key of a resource starts with (`catalog:products:v1:`): finds list pages to drop. */
export const cacheKeyPrefix = (service: string, resource: string): string => cacheKey(service, resource, "");

/** A stable query string of the defined parameters, in their order: a list page's key part. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) entries.push([name, String(value)]);
  }
  return new URLSearchParams(entries).toString();
}
