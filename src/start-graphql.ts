import type { ApolloServer } from "@apollo/server";
import type { Logger } from "pino";
import type { Sessions } from "./auth/sessions/sessions";
import { buildAppSchema } from "./build-schema";
import type { Config } from "./config";
import type { Context, ContextDeps } from "./context";
import { createApollo } from "./create-apollo";
import { explorerHandler, type ExplorerExample } from "./explorer";
import type { HealthMetrics } from "./health-metrics";
import { clientIpResolver } from "./http/client-ip";
import { contextFunction } from "./http/context-function";
import { EdgeCache } from "./http/edge-cache";
import { graphqlHandler } from "./http/graphql-handler";
import type { Endpoints } from "./http/router";
import { createRequestLimiter } from "./limits/request-limiter";
import { TrustedDocuments, TrustPolicy, type PersistedDocuments } from "./http/trusted-documents";
import type { Metrics } from "./metrics";
import { EXAMPLE_DOCUMENT, EXAMPLE_VARIABLES, exampleHeaders } from "./sandbox";
import type { SharedStore } from "./store";
import type { Tracing } from "./telemetry/tracing";

/** The process-lifetime pieces the GraphQL endpoint is built from (createServer makes them). */
export interface GraphQLParts {
  readonly store: SharedStore;
  readonly metrics: Metrics;
  readonly health: HealthMetrics;
  readonly now: () => number;
  readonly logger: Logger;
  readonly deps: ContextDeps;
  readonly manifest: PersistedDocuments;
  /** Browser sessions (null: none configured): a request without Authorization may carry a session cookie. */
  readonly sessions: Sessions | null;
  readonly onContext?: (context: Context) => void;
  readonly tracing: Tracing | null;
}

export interface GraphQLService {
  /** `/` and `/graphql`. */
  readonly handler: Endpoints["graphql"];
  /** The offline explorer (null: EXPLORER off). */
  readonly explorer: Endpoints["explorer"];
  readonly apollo: ApolloServer<Context>;
  /** The server of explained requests (x-bff-explain). */
  readonly explainApollo: ApolloServer<Context>;
}

/** The GraphQL endpoint: both Apollo servers (started), and the HTTP handler in front of them. */
export async function startGraphQL(config: Config, parts: GraphQLParts): Promise<GraphQLService> {
  const { store, metrics, health, now, logger, deps, tracing } = parts;
  // Development's runnable example (Sandbox and /explorer): ProductDetail, its variables, a demo customer's token.
  const example: ExplorerExample = {
    document: EXAMPLE_DOCUMENT,
    variables: EXAMPLE_VARIABLES,
    headers: config.production ? {} : await exampleHeaders(config.jwt),
  };
  const limiter = createRequestLimiter(config, store, now, health);
  const apollo = createApollo(config, await buildAppSchema(), store, metrics, limiter, logger, example, {
    tracing: tracing !== null,
    explain: false,
  });
  await apollo.start();
  // Explained requests run on a schema of their own: its per-field hook never touches other requests.
  const explainApollo = createApollo(config, await buildAppSchema(), store, metrics, limiter, logger, example, {
    tracing: tracing !== null,
    explain: true,
  });
  await explainApollo.start();

  const { limits } = config;
  const handler = graphqlHandler({
    apollo,
    trusted: new TrustedDocuments(
      parts.manifest,
      new TrustPolicy(config.trustedDocuments.mode, config.trustedDocuments.clientModes),
      config.trustedDocuments.adminBypass,
      logger,
    ),
    maxBodyBytes: limits.maxBodyBytes,
    maxQueryBytes: limits.maxQueryBytes,
    clientIp: clientIpResolver(config.trustProxy, logger),
    compressMinBytes: config.compressMinBytes,
    viewerFrom: (authorization) => deps.verifier.viewerFrom(authorization),
    context: contextFunction(deps, logger, parts.sessions, parts.onContext),
    logger,
    tracing,
    explain: { apollo: explainApollo, adminsOnly: config.production },
    edge:
      store.memory.edge.maxBytes > 0
        ? {
            cache: new EdgeCache({ tier: store.memory.edge, limiter, metrics, logger, now }),
            anonymous: (req) => !req.headers.authorization && !parts.sessions?.hasCookie(req),
          }
        : null,
  });
  const explorer = config.explorer ? explorerHandler("/graphql", example) : null;
  return { handler, explorer, apollo, explainApollo };
}
