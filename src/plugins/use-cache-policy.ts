import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import { CachePolicies } from "../cache/cache-policy";
import type { Context } from "../context";

/**
 * Apollo's cache-control plugin without its per-field hook: the response's cache policy is
 * worked out once per document (src/cache/cache-policy.ts), handed to Apollo (the response
 * cache reads it) and sent as Cache-Control: `max-age=N, public|private`, or `no-store` for
 * anything uncacheable or with errors. Apollo's own plugin must be disabled beside it.
 */
export function useCachePolicy(personal: ReadonlySet<string>): ApolloServerPlugin<Context> {
  let policies: CachePolicies | undefined;
  const of = (schema: GraphQLSchema) => (policies ??= new CachePolicies(schema, personal));
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, schema, overallCachePolicy }) {
          overallCachePolicy.restrict(of(schema).of(document, operationName));
        },
        async willSendResponse({ response, overallCachePolicy }) {
          const cacheable = overallCachePolicy.policyIfCacheable();
          const clean = response.body.kind === "single" && !response.body.singleResult.errors;
          response.http.headers.set(
            "cache-control",
            cacheable && clean ? `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}` : "no-store",
          );
        },
      };
    },
  };
}
