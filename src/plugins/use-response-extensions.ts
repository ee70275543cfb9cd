import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Context } from "../context";

/**
 * Puts the request id on every response (header and error extensions, so a client can quote it)
 * says when data was served stale because its upstream failed, and adds the errors of fields
 * that resolved to a fallback (ctx.partialErrors), formatted like every other error.
 */
export function useResponseExtensions(
  format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          response.http.headers.set("x-request-id", contextValue.requestId);
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          if (contextValue.staleServed.length > 0) {
            result.extensions = { ...result.extensions, stale: contextValue.staleServed };
          }
          if (contextValue.partialErrors.length > 0) {
            const partial = contextValue.partialErrors.map(({ error, path }) => {
              const wrapped = new GraphQLError((error as Error).message, { path, originalError: error as Error });
              return format(wrapped.toJSON(), wrapped);
            });
            result.errors = [...(result.errors ?? []), ...partial];
          }
          if (result.errors) {
            result.errors = result.errors.map((e) => ({
              ...e,
              extensions: { ...e.extensions, requestId: contextValue.requestId },
            }));
          }
        },
      };
    },
  };
}
