import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";

/**
 * Spans for parse, validate and execute, and the operation's name and type on the request span.
 * Installed only when tracing is configured. Apollo parses and validates a document once and
 * then reuses it, so those spans appear only on the requests that did the work.
 */
export function useTracing(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const trace = contextValue.trace;
      if (!trace) return;
      return {
        async parsingDidStart() {
          const end = trace.phase("graphql.parse");
          return async (error) => end(error);
        },
        async validationDidStart() {
          const end = trace.phase("graphql.validate");
          return async (errors) => end(errors?.[0]);
        },
        async didResolveOperation({ operationName, operation }) {
          trace.operation(operationName, operation?.operation);
        },
        async executionDidStart() {
          const end = trace.phase("graphql.execute");
          return {
            async executionDidEnd(error) {
              end(error);
            },
          };
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const codes = response.body.singleResult.errors?.map((e) => String(e.extensions?.code ?? "")) ?? [];
          trace.errorCodes(codes);
        },
      };
    },
  };
}
