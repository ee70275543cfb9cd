import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import ApolloServerPluginResponseCache from "@apollo/server-plugin-response-cache";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ValidationContext } from "graphql";
import depthLimit from "graphql-depth-limit";
import type { Logger } from "pino";
import { accessRules } from "./build-schema";
import type { Config } from "./config";
import type { Context } from "./context";
import { formatError } from "./errors/format-error";
import type { ExplorerExample } from "./explorer";
import { guarded } from "./limits/fragment-guard";
import type { RateLimiter } from "./limits/rate-limiter";
import type { Metrics } from "./metrics";
import { useCachePolicy } from "./plugins/use-cache-policy";
import { useExplain } from "./plugins/use-explain";
import { useMetrics } from "./plugins/use-metrics";
import { useQueryLimits } from "./plugins/use-query-limits";
import { useRequestLog } from "./plugins/use-request-log";
import { useResponseExtensions } from "./plugins/use-response-extensions";
import { useTracing } from "./plugins/use-tracing";
import type { SharedStore } from "./store";

/** graphql-armor's rules report a validation error (400) instead of throwing (500). */
const armorReporting = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ""))),
  ],
};

/** Apollo Server with every limit and plugin; plugin order is the order hooks run in. */
export function createApollo(
  config: Config,
  schema: GraphQLSchema,
  store: SharedStore,
  metrics: Metrics,
  limiter: RateLimiter,
  logger: Logger,
  example: ExplorerExample,
  variant: { tracing: boolean; explain: boolean },
): ApolloServer<Context> {
  const { limits } = config;
  const format = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    formatError(formatted, error, config.production);

  return new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // main.ts owns shutdown: drain, close the store, stop the demo upstreams
    allowBatchedHttpRequests: false, // one operation per HTTP request
    persistedQueries: { cache: store.documents, ttl: 24 * 3_600 }, // shared by replicas with Redis
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    // Each rule that follows fragment spreads runs only on documents without fragment cycles or
    // unknown fragments (the spec's rules refuse those): none of them can recurse without bound.
    validationRules: [
      depthLimit(limits.maxDepth),
      maxAliasesRule({ n: limits.maxAliases, ...armorReporting }),
      maxDirectivesRule({ n: limits.maxDirectives, ...armorReporting }),
    ].map(guarded),
    formatError: format,
    plugins: [
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({
            embed: true,
            includeCookies: false,
            document: example.document,
            variables: example.variables,
            headers: example.headers,
          }),
      useQueryLimits(limits.maxCost, limiter, logger),
      useResponseExtensions(format), // before the two below: the errors it adds make a response uncacheable
      ApolloServerPluginCacheControlDisabled(),
      useCachePolicy(new Set(accessRules().keys())),
      // Whole public responses for anonymous callers, shared by replicas through Redis (each replica's
      // edge cache answers repeats before Apollo; without Redis it is the only one). Private responses
      // (sessionId null) and any with errors are never stored; signed-in callers always get fresh reads.
      // Explained requests neither read nor write them: they show the calls a request really makes.
      ...(variant.explain
        ? [useExplain()]
        : store.responses
          ? [
              ApolloServerPluginResponseCache<Context>({
                cache: store.responses,
                sessionId: async () => null,
                shouldReadFromCache: async ({ contextValue }) => contextValue.viewer === null,
                shouldWriteToCache: async ({ contextValue }) => contextValue.viewer === null,
              }),
            ]
          : []),
      useRequestLog(logger),
      useMetrics(metrics),
      ...(variant.tracing ? [useTracing()] : []),
    ],
  });
}
