import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer, HTTPGraphQLResponse } from "@apollo/server";
import type { Logger } from "pino";
import type { Viewer } from "../auth/viewer";
import type { Context, RequestOutcome } from "../context";
import { ErrorCode } from "../errors/bff-errors";
import { endCompressed } from "./compression";
import type { EdgeCache } from "./edge-cache";
import { etagOf, isShareable, noneMatchHits } from "./etag";
import { BodyError, header, headerMap, parseJsonBody, readBody, refuse, withRequestId } from "./http-io";
import type { GraphQLHttpRequest, TrustedDocuments } from "./trusted-documents";
import { EXPLAIN_HEADER, wantsExplain } from "../telemetry/explain";
import type { RequestTrace, Tracing } from "../telemetry/tracing";

/** What a request carries into its context besides the HTTP request itself. */
export interface Observation {
  readonly trace: RequestTrace | null;
  readonly explain: boolean;
  /** Filled in by the plugins: what the request turned out to be (for the edge cache). */
  readonly outcome: RequestOutcome;
}

/** What the GraphQL endpoint needs besides Apollo itself. */
export interface GraphQLEndpoint {
  readonly apollo: ApolloServer<Context>;
  readonly trusted: TrustedDocuments;
  readonly maxBodyBytes: number;
  readonly maxQueryBytes: number;
  /** The client's address (behind trusted proxies, from X-Forwarded-For): see client-ip.ts. */
  readonly clientIp: (req: IncomingMessage) => string;
  /** Responses at least this long are compressed for clients that accept it (0: never). */
  readonly compressMinBytes?: number;
  /** Verifies the bearer token (memoised by the verifier); a bad token rejects. */
  readonly viewerFrom: (authorization: string | undefined) => Promise<Viewer | null>;
  /** Builds the request's context; `verified` is the viewer when it is already known. */
  readonly context: (
    req: IncomingMessage,
    res: ServerResponse,
    ip: string,
    requestId: string,
    verified: Viewer | null | undefined,
    observation: Observation,
  ) => Promise<Context>;
  readonly logger: Logger;
  /** The process's tracer; null when tracing is off (then nothing of it runs). */
  readonly tracing: Tracing | null;
  /**
   * The server explained requests go to (its schema has per-field hooks the main one never
   * gets), and whether anyone may ask (development) or only admins (production).
   */
  readonly explain: { readonly apollo: ApolloServer<Context>; readonly adminsOnly: boolean } | null;
  /** Public answers to anonymous queries, served before Apollo (null: off); `anonymous` says who is. */
  readonly edge: { readonly cache: EdgeCache; readonly anonymous: (req: IncomingMessage) => boolean } | null;
}

/**
 * GraphQL over node:http (GET and POST): reads and bounds the body, resolves trusted
 * documents, then hands the request to Apollo's executeHTTPGraphQLRequest and writes its
 * answer. Everything refused here gets the same `{errors}` shape as GraphQL's own errors.
 */
export function graphqlHandler(
  endpoint: GraphQLEndpoint,
): (req: IncomingMessage, res: ServerResponse, requestId: string, search: string) => Promise<void> {
  const { apollo, trusted, maxBodyBytes, maxQueryBytes } = endpoint;
  const { tracing } = endpoint;
  return async (req, res, requestId, search) => {
    const trace = tracing ? startTrace(tracing, req, res) : null;
    const method = req.method ?? "GET";
    const compressMinBytes = endpoint.compressMinBytes ?? 0;
    const ip = endpoint.clientIp(req);
    // Public answers to anonymous queries: a request sent before byte for byte is answered before its
    // body is even parsed (the trusted-documents check it passed then gives the same answer now).
    const edge =
      endpoint.edge && !header(req, EXPLAIN_HEADER) && endpoint.edge.anonymous(req) ? endpoint.edge.cache : null;
    let edgeKey: string | null = null; // set once looked up: Apollo's answer is kept under it
    const fromEdge = (cache: EdgeCache, raw: string): Promise<boolean> => {
      edgeKey = cache.keyOf(req, method, raw);
      return cache.serve(edgeKey, req, res, ip, requestId, compressMinBytes);
    };
    let body: unknown;
    try {
      if (method === "POST") {
        const text = await readBody(req, maxBodyBytes);
        const json = isJson(header(req, "content-type"));
        if (edge && json && text && (await fromEdge(edge, text))) return;
        body = json ? parseJsonBody(text) : text;
      } else if (edge && search && edge.passesCsrf(req, false) && (await fromEdge(edge, search))) return;
    } catch (error) {
      if (error instanceof BodyError) return refuse(res, error.status, error.code, error.message, requestId);
      throw error;
    }
    const request: GraphQLHttpRequest = {
      method,
      search,
      body,
      clientName: header(req, "apollographql-client-name") || undefined,
    };
    if (queryBytes(request) > maxQueryBytes) {
      return refuse(
        res,
        413,
        ErrorCode.PayloadTooLarge,
        `The query text is larger than ${maxQueryBytes} bytes: send a smaller document, or a persisted one by id`,
        requestId,
      );
    }
    let verified: Promise<Viewer | null> | undefined;
    const refusal = await trusted.check(
      request,
      () => (verified ??= endpoint.viewerFrom(header(req, "authorization"))),
      requestId,
    );
    if (refusal) return refuse(res, refusal.status, refusal.code, refusal.message, requestId);

    let explain = false;
    if (endpoint.explain && wantsExplain(header(req, EXPLAIN_HEADER))) {
      if (endpoint.explain.adminsOnly) verified ??= endpoint.viewerFrom(header(req, "authorization"));
      explain = !endpoint.explain.adminsOnly || (await verified?.catch(() => null))?.role === "admin";
    }
    // Not looked up above: a GET of a manifest query (it needs no preflight header). The key is the
    // query string as it came, before trusted documents filled in the query.
    if (edge && !edgeKey && method === "GET" && search && request.trustedQuery && (await fromEdge(edge, search)))
      return;
    const known = verified ? await verified.catch(() => undefined) : undefined;
    const headers = headerMap(req);
    if (method === "GET" && request.trustedQuery) headers.set("apollo-require-preflight", "true"); // CSRF-safe: see GraphQLHttpRequest.trustedQuery
    const server = explain && endpoint.explain ? endpoint.explain.apollo : apollo;
    const outcome: RequestOutcome = { operationName: null, query: false };
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: request.search, body: request.body },
      context: () => endpoint.context(req, res, ip, requestId, known, { trace, explain, outcome }),
    });
    if (edge && edgeKey) edge.keep(edgeKey, method, response, outcome);
    await write(req, res, response, requestId, compressMinBytes);
  };
}

/** The request span, ended when the response is written or the client goes away. */
function startTrace(tracing: Tracing, req: IncomingMessage, res: ServerResponse): RequestTrace {
  const trace = tracing.startRequest(
    header(req, "traceparent"),
    header(req, "tracestate"),
    header(req, "apollographql-client-name"),
  );
  res.once("close", () => trace.end(res.statusCode));
  return trace;
}

const isJson = (contentType: string | undefined): boolean =>
  contentType !== undefined && (contentType.includes("application/json") || contentType.includes("+json"));

function queryBytes(req: GraphQLHttpRequest): number {
  if (req.method === "GET") {
    const query = req.search.length > 0 ? new URLSearchParams(req.search).get("query") : null;
    return query ? Buffer.byteLength(query) : 0;
  }
  const query = (req.body as { query?: unknown } | undefined)?.query;
  return typeof query === "string" ? Buffer.byteLength(query) : 0;
}

/**
 * Writes Apollo's answer. A public answer to a GET gets a strong ETag of its body (public bodies
 * hold nothing of the caller, so every caller gets the same tag) and a matching If-None-Match
 * gets 304 without the body. POSTs are not cached by anyone, so they are not hashed.
 */
async function write(
  req: IncomingMessage,
  res: ServerResponse,
  response: HTTPGraphQLResponse,
  requestId: string,
  compressMinBytes: number,
): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === "complete") {
    if (req.method === "GET" && res.statusCode === 200 && isShareable(response.headers.get("cache-control"))) {
      const etag = etagOf(response.body.string);
      res.setHeader("etag", etag);
      if (noneMatchHits(header(req, "if-none-match"), etag)) {
        res.statusCode = 304;
        res.end();
        return;
      }
    }
    const body = res.statusCode >= 400 ? withRequestId(response.body.string, requestId) : response.body.string;
    await endCompressed(req, res, body, compressMinBytes);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
