// The reference BFF: what a team writes from Apollo's documentation. Apollo Server 5 with
// startStandaloneServer, the contract's SDL, a resolver map, @apollo/datasource-rest (one call
// per id, its HTTP cache on over the server's cache), JWT verification with jose in the context.
// Configured like ours (src/config.ts: PORT, HOST, the six *_URL, *_API_KEY, JWT_*); the bench
// starts it with `node dist/bench/reference/server.js`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { GraphQLError } from "graphql";
import type { Config } from "../../src/config";
import { runServerProcess, tokenVerifier } from "../bench-server";
import { repoRoot } from "../paths";
import { AccountsAPI, CatalogAPI, InventoryAPI, OrdersAPI, PaymentsAPI, ReviewsAPI } from "./datasources";
import { resolvers, type ReferenceContext } from "./resolvers";

export async function startReference(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const urls = config.upstreamUrls;
  if (!urls) throw new Error("the reference needs the six upstream URLs");
  const verify = tokenVerifier(config);
  const typeDefs = readFileSync(join(repoRoot(), "schema/schema.graphql"), "utf8");
  const server = new ApolloServer<ReferenceContext>({ typeDefs, resolvers });
  const { url } = await startStandaloneServer(server, {
    listen: { port: config.port, host: config.host },
    context: async ({ req }) => {
      const viewer = await verify(req.headers.authorization).catch(() => {
        throw new GraphQLError("Invalid token", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
      });
      const requestId = req.headers["x-request-id"];
      const source = { cache: server.cache };
      const info = (service: keyof typeof urls) => ({
        apiKey: config.apiKeys[service],
        requestId: typeof requestId === "string" ? requestId : undefined,
      });
      return {
        viewer,
        dataSources: {
          catalog: new CatalogAPI(urls.catalog, info("catalog"), source),
          inventory: new InventoryAPI(urls.inventory, info("inventory"), source),
          reviews: new ReviewsAPI(urls.reviews, info("reviews"), source),
          accounts: new AccountsAPI(urls.accounts, info("accounts"), source),
          orders: new OrdersAPI(urls.orders, info("orders"), source),
          payments: new PaymentsAPI(urls.payments, info("payments"), source),
        },
      };
    },
  });
  return { url, stop: () => server.stop() };
}

if (require.main === module) runServerProcess("reference BFF", startReference);
