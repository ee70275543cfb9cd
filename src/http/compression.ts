import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from "node:zlib";
import Negotiator from "negotiator";

export type Encoding = "br" | "gzip";

/** Our order of preference when the client likes several equally: brotli is smaller for JSON. */
const AVAILABLE: readonly string[] = ["br", "gzip", "identity"];
/** Levels for answers made per request: cheap, and most of the gain (docs/clients/operations.md, "Compression"). */
const GZIP = { level: 4 };
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};
/** Larger bodies are compressed off the event loop (libuv's pool); smaller ones cost less inline. */
const SYNC_MAX_BYTES = 128 * 1024;

type EncodingNegotiator = Negotiator & {
  encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined;
};

/** The encoding the client prefers (q-values honoured; `identity` or nothing acceptable: none). */
export function negotiateEncoding(req: IncomingMessage): Encoding | null {
  const header = req.headers["accept-encoding"];
  if (!header) return null;
  const chosen = (new Negotiator(req) as EncodingNegotiator).encoding(AVAILABLE, { preferred: AVAILABLE });
  return chosen === "br" || chosen === "gzip" ? chosen : null;
}

export function compressSync(body: Buffer, encoding: Encoding): Buffer {
  return encoding === "br" ? brotliCompressSync(body, BROTLI) : gzipSync(body, GZIP);
}

function compressAsync(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result));
    if (encoding === "br") brotliCompress(body, BROTLI, done);
    else gzip(body, GZIP, done);
  });
}

/**
 * Ends the response with `body`, compressed when it is at least `minBytes` long and the client
 * accepts gzip or brotli; sets Content-Length (and Content-Encoding, Vary). The caller has set
 * the status and every other header. `minBytes` 0 turns compression off. A body sent many times
 * (the edge cache's) passes `memo`, where each encoding is kept once made.
 */
export async function endCompressed(
  req: IncomingMessage,
  res: ServerResponse,
  body: string | Buffer,
  minBytes: number,
  memo?: { br?: Buffer; gzip?: Buffer },
): Promise<void> {
  const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  if (minBytes === 0 || length < minBytes) {
    res.setHeader("content-length", length);
    res.end(body);
    return;
  }
  res.setHeader("vary", appendVary(res.getHeader("vary"), "Accept-Encoding"));
  const encoding = negotiateEncoding(req);
  if (!encoding) {
    res.setHeader("content-length", length);
    res.end(body);
    return;
  }
  let compressed = memo?.[encoding];
  if (!compressed) {
    const raw = typeof body === "string" ? Buffer.from(body) : body;
    compressed = length <= SYNC_MAX_BYTES ? compressSync(raw, encoding) : await compressAsync(raw, encoding);
    if (memo) memo[encoding] = compressed;
  }
  res.setHeader("content-encoding", encoding);
  res.setHeader("content-length", compressed.length);
  const etag = res.getHeader("etag"); // one strong tag must not name two encodings: weak (If-None-Match compares weakly)
  if (typeof etag === "string" && !etag.startsWith("W/")) res.setHeader("etag", `W/${etag}`);
  res.end(compressed);
}

function appendVary(current: number | string | string[] | undefined, name: string): string {
  const existing = current === undefined ? "" : Array.isArray(current) ? current.join(", ") : String(current);
  if (existing === "") return name;
  return existing
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes(name.toLowerCase())
    ? existing
    : `${existing}, ${name}`;
}
