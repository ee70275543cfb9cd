import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";
import type { Metrics } from "../metrics";

/** Counts and times every GraphQL operation, and counts the error codes clients see. */
export function useMetrics(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName, request }) {
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const errors = body?.errors ?? [];
          const outcome = errors.length === 0 ? "ok" : body?.data ? "partial" : "error";
          metrics.recordOperation(
            operationName ?? request.operationName,
            outcome,
            (performance.now() - started) / 1000,
          );
          for (const error of errors) metrics.errors.inc({ code: String(error.extensions?.code ?? "UNKNOWN") });
        },
      };
    },
  };
}
