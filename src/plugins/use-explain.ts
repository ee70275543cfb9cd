import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";

/**
 * `extensions.upstream` for explained requests: every upstream call and cache lookup, and the
 * estimated and actual cost. Installed only on the explain server (graphql-handler sends only
 * explained requests there), so its per-field hook never runs on other requests.
 */
export function useExplain(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const explain = contextValue.explain;
      if (!explain) return;
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              explain.resolving(info);
            },
          };
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          const calls = explain.entries;
          result.extensions = {
            ...result.extensions,
            upstream: {
              calls,
              // Read when the response is serialised: the limits plugin sets extensions.cost in its own
              // willSendResponse, which may finish after this one.
              get cost() {
                const cost = result.extensions?.cost as
                  { requestedQueryCost?: number; actualQueryCost?: number } | undefined;
                return {
                  estimated: cost?.requestedQueryCost ?? null,
                  actual: cost?.actualQueryCost ?? cost?.requestedQueryCost ?? null,
                };
              },
            },
          };
        },
      };
    },
  };
}
