import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import type { Context } from "../context";

/**
 * One structured log line per GraphQL request: request id, operation, duration, upstream
 * calls and error codes. Unexpected errors are logged in full here (clients see them masked).
 */
export function useRequestLog(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code === undefined || code === "INTERNAL_SERVER_ERROR") {
              logger.error({ requestId: contextValue.requestId, err: error.originalError ?? error, path: error.path }, "unexpected error");
            }
          }
        },
        async willSendResponse({ request, operationName, response, errors }) {
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          logger.info({
            requestId: contextValue.requestId,
            operationName: operationName ?? request.operationName ?? null,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            upstreamCalls: contextValue.upstreamCalls.count,
            cost: (body?.extensions?.cost as { requestedQueryCost?: number } | undefined)?.requestedQueryCost ?? null,
            status: response.http.status ?? 200,
            errors: (body?.errors ?? errors ?? []).map((e) => e.extensions?.code ?? "UNKNOWN"),
          }, "graphql request");
        },
      };
    },
  };
}
