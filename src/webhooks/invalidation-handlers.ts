import { cacheKey as key, cacheKeyPrefix } from "../../datasources/shared/cache-keys";
import type { CacheInvalidator, Invalidation } from "../cache/invalidation";
import { INVALIDATING_SERVICES, type InvalidatingService } from "../services";
import { MalformedEventError, type WebhookEvent, type WebhookHandler } from "./receiver";

/** What each event type (contract README, "Webhooks") makes stale. Unknown types change nothing. */
const STALE: Record<string, (data: Readonly<Record<string, unknown>>) => Invalidation> = {
  "product.updated": (data) => product(idOf(data, "id")),
  "product.deleted": (data) => product(idOf(data, "id")),
  "category.updated": (data) => ({ keys: [key("catalog", "categories", "all")], lists: [], ids: [idOf(data, "id")] }),
  "stock.changed": (data) => {
    const ids = idsOf(data, "productIds");
    return { keys: ids.map((id) => key("inventory", "stock", id)), lists: [cacheKeyPrefix("inventory", "low")], ids };
  },
  "review.created": (data) => {
    const id = idOf(data, "productId");
    return { keys: [key("reviews", "by-product", id), key("reviews", "summary", id)], lists: [], ids: [id] };
  },
  "user.updated": (data) => ({ keys: [key("accounts", "user", idOf(data, "id"))], lists: [], ids: [idOf(data, "id")] }),
};

const product = (id: string): Invalidation => ({
  keys: [key("catalog", "product", id)],
  lists: [cacheKeyPrefix("catalog", "products")],
  ids: [id],
});

/** Which services' events invalidate the cache: `"webhooks": "invalidation"` in services.json. */
export { INVALIDATING_SERVICES };

/**
 * One webhook handler per service that drops what its events make stale, on every replica
 * (plugs into the receiver's dispatch by service). Idempotent: dropping twice is dropping once.
 */
export function invalidationHandlers(invalidator: CacheInvalidator): Record<InvalidatingService, WebhookHandler> {
  const handle = async (event: WebhookEvent): Promise<void> => {
    const stale = STALE[event.type];
    if (stale) await invalidator.invalidate(stale(event.data));
  };
  const handlers = INVALIDATING_SERVICES.map((service) => [service, handle] as const);
  return Object.fromEntries(handlers) as Record<InvalidatingService, WebhookHandler>;
}

function idOf(data: Readonly<Record<string, unknown>>, name: string): string {
  const value = data[name];
  if (typeof value !== "string" || value.length === 0 || value.length > 200)
    throw new MalformedEventError(`data.${name} must be a non-empty string`);
  return value;
}

function idsOf(data: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = data[name];
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > 1_000 ||
    !value.every((id) => typeof id === "string" && id.length > 0 && id.length <= 200)
  ) {
    throw new MalformedEventError(`data.${name} must be a non-empty array of ids`);
  }
  return value as string[];
}
