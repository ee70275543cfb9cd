import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import type { Context } from "../context";
import { classifyError, type ErrorClass } from "../errors/format-error";

/** Failures already announced once, when their dependency changed state (breaker opened, store down). */
const isOutage = (failure: ErrorClass): boolean =>
  failure.service === "store" || failure.kind === "circuit-open" || failure.kind === "rejected";

/**
 * One structured log line per GraphQL request: request id, operation, duration, upstream calls,
 * error codes and the expected failures with their service and kind. Its level tells what
 * happened: info, or warn when an upstream failed (not one whose outage was already logged when
 * its breaker opened or the store went down, so an outage is not repeated on every request).
 * Unexpected errors (bugs) get a line of their own at error, with the stack; clients see them masked.
 */
export function useRequestLog(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      let failures: ErrorClass[] | undefined;
      const note = (error: unknown, path?: unknown): void => {
        const failure = classifyError(error);
        if (!failure.expected) {
          const original = (error as { originalError?: unknown }).originalError ?? error;
          logger.error({ requestId: contextValue.requestId, err: original, path }, "unexpected error");
        } else if (
          !failures?.some((f) => f.code === failure.code && f.service === failure.service && f.kind === failure.kind)
        ) {
          (failures ??= []).push(failure);
        }
      };
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) note(error, error.path);
        },
        async willSendResponse({ request, operationName, response, errors }) {
          for (const { error, path } of contextValue.partialErrors) note(error, path);
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const upstreamTrouble = failures?.some((f) => f.service !== undefined && !isOutage(f)) ?? false;
          logger[upstreamTrouble ? "warn" : "info"](
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? request.operationName ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              upstreamCalls: contextValue.upstreamCalls.count,
              cost: (body?.extensions?.cost as { requestedQueryCost?: number } | undefined)?.requestedQueryCost ?? null,
              status: response.http.status ?? 200,
              errors: (body?.errors ?? errors ?? []).map((e) => e.extensions?.code ?? "UNKNOWN"),
              ...(failures ? { failures } : {}),
            },
            "graphql request",
          );
        },
      };
    },
  };
}
