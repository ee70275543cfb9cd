import { responsePathAsArray, type GraphQLResolveInfo } from "graphql";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";
import type { Context } from "../../src/context";
import { UpstreamError } from "../../src/errors/upstream-error";

/**
 * For non-null fields served by a secondary service (the contract's `Product.reviews: [Review!]!`):
 * when that service fails, the field resolves to `fallback` and the failure is still reported at
 * the field's path, so one outage costs the client that field, not the whole object.
 */
export function orFallback<T>(
  work: MaybePromise<T>,
  fallback: T,
  ctx: Context,
  info: GraphQLResolveInfo,
): MaybePromise<T> {
  if (!(work instanceof Promise)) return work; // answered from this process's cache
  return work.catch((error: unknown) => {
    if (!(error instanceof UpstreamError)) throw error;
    ctx.partialErrors.push({ error, path: responsePathAsArray(info.path) });
    return fallback;
  });
}
