import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { Context } from "../context";
import { BadUserInputError, QueryTooCostlyError, RateLimitedError } from "../errors/bff-errors";
import { rateLimitFields } from "../http/rate-limit-headers";
import { MAX_FIRST, MIN_FIRST, type QueryCost } from "../limits/query-cost";
import { QueryCoster } from "../limits/query-coster";
import { callerOf, type Caller, type RateLimiter, type Throttle } from "../limits/rate-limiter";

/**
 * Before an operation runs: list bounds, the cost limit, then the caller's token bucket. A
 * refused operation makes no upstream call. After it ran, what it did not spend (lists that
 * returned fewer items than `first`) goes back into the bucket. Every response says what it
 * cost in `extensions.cost`, and the caller's bucket in the RateLimit-Policy and RateLimit
 * fields; a response shareable by everyone (Cache-Control public) carries no per-caller data
 * in its body, so `throttleStatus` is left to those fields there.
 */
export function useQueryLimits(maximumCost: number, limiter: RateLimiter, logger: Logger): ApolloServerPlugin<Context> {
  let coster: QueryCoster | undefined;
  return {
    async requestDidStart() {
      let requested: QueryCost | undefined;
      let charged = 0;
      let caller: Caller | undefined;
      let throttle: Throttle | undefined;
      return {
        async didResolveOperation({ request, document, schema, operationName, operation, contextValue }) {
          contextValue.outcome.operationName = operationName ?? null;
          contextValue.outcome.query = operation?.operation === "query";
          try {
            coster ??= new QueryCoster(schema);
            requested = coster.cost(document, request.variables ?? {}, operationName ?? undefined);
          } catch (error) {
            throw new BadUserInputError(error instanceof GraphQLError ? error.message : "Invalid variables", {
              http: { status: 400 },
            });
          }
          const [violation] = requested.violations;
          if (violation) {
            throw new BadUserInputError(
              `${violation.field}(${violation.argument}:) must be between ${MIN_FIRST} and ${MAX_FIRST}, got ${JSON.stringify(violation.value)}`,
              { http: { status: 400 }, field: violation.field, argument: violation.argument },
            );
          }
          caller = callerOf(contextValue.viewer, contextValue.clientIp);
          // A query larger than the caller's whole bucket could never run: refused as too costly, not throttled.
          const limit = Math.min(maximumCost, limiter.policies[caller.kind].size);
          if (requested.cost > limit) throw new QueryTooCostlyError(requested.cost, limit);
          charged = Math.max(1, requested.cost); // every query costs at least a point
          try {
            throttle = await limiter.spend(caller, charged);
          } catch (error) {
            logger.warn(
              { err: error, requestId: contextValue.requestId },
              "rate limiter unavailable; letting the request through",
            );
            return;
          }
          if (!throttle.allowed) {
            throw new RateLimitedError(Math.max(1, Math.ceil(throttle.retryAfterMs / 1000)), {
              cost: requested.cost,
              throttleStatus: status(throttle),
            });
          }
        },
        async willSendResponse({ response, contextValue, document, request, operationName, overallCachePolicy }) {
          caller ??= callerOf(contextValue.viewer, contextValue.clientIp);
          if (!throttle) throttle = await limiter.spend(caller, 0).catch(() => undefined); // refused before costing: the bucket as it is
          const result = response.body.kind === "single" ? response.body.singleResult : undefined;
          let actual: number | undefined;
          if (result && requested && throttle?.allowed && result.data !== undefined && document && coster) {
            actual = coster.actual(
              document,
              request.variables ?? {},
              operationName ?? undefined,
              requested,
              result.data,
            );
            const unspent = charged - Math.max(1, actual);
            if (unspent > 0) {
              // Awaited, so that the bucket the response reports is the one the caller's next request meets, on any replica.
              throttle = await limiter.refund(caller, unspent).catch((error: unknown) => {
                logger.warn({ err: error, requestId: contextValue.requestId }, "rate limiter refund failed");
                return throttle;
              });
            }
          }
          if (throttle)
            for (const [name, value] of rateLimitFields(caller.kind, throttle)) response.http.headers.set(name, value);
          if (!result || requested === undefined) return;
          const shareable =
            !result.errors &&
            contextValue.partialErrors.length === 0 &&
            overallCachePolicy.policyIfCacheable()?.scope === "PUBLIC";
          contextValue.outcome.cost = { requested: requested.cost, actual };
          contextValue.outcome.shareable = shareable && contextValue.staleServed.length === 0;
          result.extensions = {
            ...result.extensions,
            cost: {
              requestedQueryCost: requested.cost,
              ...(actual !== undefined ? { actualQueryCost: actual } : {}),
              maximumCost,
              ...(throttle && !shareable ? { throttleStatus: status(throttle) } : {}),
            },
          };
          // The body depends on the caller unless it is shareable (the caller's bucket is in the fields, then).
          response.http.headers.set("vary", shareable ? "accept" : "accept, authorization, cookie"); // a session cookie stands for a token
        },
      };
    },
  };
}

const status = (throttle: Throttle) => ({
  maximumAvailable: throttle.maximumAvailable,
  currentlyAvailable: throttle.currentlyAvailable,
  restoreRate: throttle.restoreRate,
});
