import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { Context } from "../context";
import { BadUserInputError, QueryTooCostlyError, RateLimitedError } from "../errors/bff-errors";
import { MAX_FIRST, MIN_FIRST, QueryCoster, type QueryCost } from "../limits/query-cost";
import type { CostRateLimiter, Throttle } from "../limits/rate-limit";

/**
 * Before an operation runs: list bounds, the cost limit, then the caller's cost budget.
 * A refused operation makes no upstream call. Every response carries `extensions.cost`.
 */
export function useQueryLimits(maximumCost: number, limiter: CostRateLimiter, logger: Logger): ApolloServerPlugin<Context> {
  let coster: QueryCoster | undefined;
  return {
    async requestDidStart() {
      let requested: number | undefined;
      let throttle: Throttle | undefined;
      return {
        async didResolveOperation({ request, document, schema, operationName, contextValue }) {
          let computed: QueryCost;
          try {
            coster ??= new QueryCoster(schema);
            computed = coster.cost(document, request.variables ?? {}, operationName ?? undefined);
          } catch (error) {
            throw new BadUserInputError(error instanceof GraphQLError ? error.message : "Invalid variables", { http: { status: 400 } });
          }
          const [violation] = computed.violations;
          if (violation) {
            throw new BadUserInputError(`${violation.field}(${violation.argument}:) must be between ${MIN_FIRST} and ${MAX_FIRST}, got ${JSON.stringify(violation.value)}`,
              { http: { status: 400 }, field: violation.field, argument: violation.argument });
          }
          requested = computed.cost;
          if (requested > maximumCost) throw new QueryTooCostlyError(requested, maximumCost);
          try {
            throttle = await limiter.spend(contextValue.viewer, contextValue.clientIp, Math.max(1, requested));
          } catch (error) {
            logger.warn({ err: error, requestId: contextValue.requestId }, "rate limiter unavailable; letting the request through");
            return;
          }
          if (!throttle.allowed) {
            throw new RateLimitedError(Math.max(1, Math.ceil(throttle.resetInMs / 1000)), { cost: requested, throttleStatus: status(throttle) });
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single" || requested === undefined) return;
          const result = response.body.singleResult;
          result.extensions = {
            ...result.extensions,
            cost: { requestedQueryCost: requested, maximumCost, ...(throttle ? { throttleStatus: status(throttle) } : {}) },
          };
        },
      };
    },
  };
}

const status = (throttle: Throttle) => ({
  maximumAvailable: throttle.maximumAvailable,
  currentlyAvailable: throttle.currentlyAvailable,
  resetInMs: throttle.resetInMs,
});
