/**
 * The shared cache's key convention, `service:resource:version:id`, for every datasource and
 * for the webhooks that drop entries (src/webhooks/invalidation-handlers.ts): one place, so a
 * key written here is the key dropped there.
 */
const VERSION = "v1";

/** The key of one entity (`catalog:product:v1:p-0001`) or one list page (id: its query string). */
export const cacheKey = (service: string, resource: string, id: string): string => `${service}:${resource}:${VERSION}:${id}`;

/** What every key of a resource starts with (`catalog:products:v1:`): how list pages are found to drop. */
export const cacheKeyPrefix = (service: string, resource: string): string => cacheKey(service, resource, "");

/** A stable query string of the defined parameters, in their given order: a list page's key part. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]]));
  return new URLSearchParams(entries).toString();
}
