import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap } from "@apollo/server";
import Negotiator from "negotiator";
import { ErrorCode } from "../errors/bff-errors";

/** Why a request body could not be read: answered as a 4xx, never a 500. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the whole body as UTF-8, refusing more than `limit` bytes as soon as that is known
 * (from Content-Length, or while streaming). Resolves to "" for a request without a body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume(); // drain, so that the connection can be reused
    return Promise.reject(
      new BodyError(413, ErrorCode.PayloadTooLarge, `The request body is larger than ${limit} bytes`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyError(413, ErrorCode.PayloadTooLarge, `The request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", () => reject(new BodyError(400, ErrorCode.BadRequest, "The request body could not be read")));
  });
}

/** A JSON body as Apollo expects it (an object), or a BodyError. */
export function parseJsonBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, ErrorCode.BadRequest, "The request body is not valid JSON");
  }
}

/** Node's headers as Apollo's HeaderMap (lower-case names; repeated headers joined). */
export function headerMap(req: IncomingMessage): HeaderMap {
  const map = new HeaderMap();
  const raw = req.headers;
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return map;
}

/** One header's first value. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Sends a complete JSON body with its length; the caller has set any other header. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/json; charset=utf-8",
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("content-type", contentType);
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
}

/**
 * Answers a request refused before GraphQL is reached, in the same `{errors: [...]}` shape
 * as GraphQL's own errors, with the request id in the body (the header is already set), and
 * the media type Apollo would answer (`application/graphql-response+json` when preferred).
 */
export function refuse(res: ServerResponse, status: number, code: string, message: string, requestId?: string): void {
  sendJson(
    res,
    status,
    { errors: [{ message, extensions: { code, ...(requestId ? { requestId } : {}) } }] },
    graphqlMediaType(res.req?.headers.accept),
  );
}

const JSON_TYPE = "application/json; charset=utf-8";
const GRAPHQL_RESPONSE_TYPE = "application/graphql-response+json; charset=utf-8";

/** Apollo's choice between the two GraphQL-over-HTTP media types; anything unacceptable gets JSON. */
export function graphqlMediaType(accept: string | undefined): string {
  if (!accept || !accept.includes("graphql-response")) return JSON_TYPE;
  const preferred = new Negotiator({ headers: { accept } }).mediaType([
    "application/json",
    "application/graphql-response+json",
  ]);
  return preferred === "application/graphql-response+json" ? GRAPHQL_RESPONSE_TYPE : JSON_TYPE;
}

/**
 * Apollo's own refusals (405, batching, CSRF, a 401 from the context…) answered before any plugin
 * runs: the request id goes into each error's extensions, as on every other error. Error path only.
 */
export function withRequestId(body: string, requestId: string): string {
  if (body.includes('"requestId"')) return body;
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
    if (!Array.isArray(parsed.errors)) return body;
    for (const error of parsed.errors) error.extensions = { ...error.extensions, requestId };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}
