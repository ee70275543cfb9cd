import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";

/**
 * Puts the request id on every response (header and error extensions, so a client can quote it)
 * and says when data was served stale because its upstream failed.
 */
export function useResponseExtensions(): ApolloServerPlugin<Context> {
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
          if (result.errors) {
            result.errors = result.errors.map((e) => ({ ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }));
          }
        },
      };
    },
  };
}
