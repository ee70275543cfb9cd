// The lean server: issue 8's calibration point, the least a GraphQL server on this machine costs for
// the contract's read operations. `node:http`, graphql-js (each document parsed and validated once),
// JWT verification with jose, the reference's resolvers (bench/reference/resolvers.ts, so the answers
// are the same) over lean sources (bench/lean/sources.ts): undici, DataLoader, an in-process cache.
// No limits, cost analysis, logs, metrics, response cache, resilience or trusted documents: what our
// BFF costs beyond this server is what those features, and its stack, cost. Configured like the
// reference; the bench starts it with `node dist/bench/lean/server.js`.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  buildSchema,
  execute,
  GraphQLObjectType,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "graphql";
import type { Config } from "../../src/config";
import { runServerProcess, tokenVerifier } from "../bench-server";
import { repoRoot } from "../paths";
import { resolvers, type ReferenceContext } from "../reference/resolvers";
import { leanSources, LeanUpstreams } from "./sources";

/** Documents kept parsed and validated (the bench sends a handful). */
const DOCUMENTS_KEPT = 1_000;
const BODY_LIMIT = 1024 * 1024;

type Resolvers = Record<string, Record<string, GraphQLFieldResolver<unknown, ReferenceContext>>>;

/** The contract's SDL with the reference's resolver map on its fields. */
export function leanSchema(): GraphQLSchema {
  const schema = buildSchema(readFileSync(join(repoRoot(), "schema/schema.graphql"), "utf8"));
  for (const [typeName, fields] of Object.entries(resolvers as unknown as Resolvers)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`lean: no object type ${typeName}`);
    const defined = type.getFields();
    for (const [name, resolve] of Object.entries(fields)) {
      const field = defined[name];
      if (!field) throw new Error(`lean: no field ${typeName}.${name}`);
      field.resolve = resolve;
    }
  }
  return schema;
}

interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export async function startLean(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const urls = config.upstreamUrls;
  if (!urls) throw new Error("the lean server needs the six upstream URLs");
  const schema = leanSchema();
  const upstreams = new LeanUpstreams(urls, config.apiKeys);
  const documents = new Map<string, DocumentNode>();

  const verify = tokenVerifier(config);
  const viewerOf = (authorization: string | undefined): Promise<ReferenceContext["viewer"]> =>
    verify(authorization).catch(() => {
      throw new HttpFailure(401, "Invalid token", "UNAUTHENTICATED");
    });

  const documentOf = (text: unknown): DocumentNode => {
    if (typeof text !== "string") throw new HttpFailure(400, "query must be a string", "BAD_REQUEST");
    let document = documents.get(text);
    if (document) return document;
    try {
      document = parse(text);
    } catch (error) {
      throw new HttpFailure(400, (error as Error).message, "GRAPHQL_PARSE_FAILED");
    }
    const errors = validate(schema, document);
    if (errors.length) throw new HttpFailure(400, errors.map((e) => e.message).join("; "), "GRAPHQL_VALIDATION_FAILED");
    if (documents.size >= DOCUMENTS_KEPT) documents.clear();
    documents.set(text, document);
    return document;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let status = 200;
    let payload: string;
    try {
      if (req.method !== "POST") throw new HttpFailure(405, "POST only", "METHOD_NOT_ALLOWED");
      const body = JSON.parse(await readBody(req)) as GraphQLBody;
      const document = documentOf(body.query);
      const viewer = await viewerOf(req.headers.authorization);
      const requestId = req.headers["x-request-id"];
      const result = await execute({
        schema,
        document,
        variableValues: body.variables as Record<string, unknown> | undefined,
        operationName: typeof body.operationName === "string" ? body.operationName : undefined,
        contextValue: {
          viewer,
          dataSources: leanSources(upstreams, typeof requestId === "string" ? requestId : undefined),
        } satisfies ReferenceContext,
      });
      payload = JSON.stringify(result);
    } catch (error) {
      const failure =
        error instanceof HttpFailure
          ? error
          : new HttpFailure(400, error instanceof SyntaxError ? "body is not JSON" : "bad request", "BAD_REQUEST");
      status = failure.status;
      payload = JSON.stringify({ errors: [{ message: failure.message, extensions: { code: failure.code } }] });
    }
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
    res.end(payload);
  };

  const server = createServer((req, res) => void handle(req, res));
  server.listen(config.port, config.host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}/`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstreams.close();
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > BODY_LIMIT) req.destroy(new HttpFailure(413, "body too large", "PAYLOAD_TOO_LARGE"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, bytes).toString("utf8")));
    req.on("error", reject);
  });
}

if (require.main === module) runServerProcess("lean server", startLean);
