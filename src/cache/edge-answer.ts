/**
 * A whole public answer to an anonymous query, as the HTTP handler sent it, kept in the edge
 * tier (src/http/edge-cache.ts) so that the same request can be answered without Apollo.
 */
export interface EdgeAnswer {
  /** The JSON body as sent, uncompressed. */
  readonly body: string;
  readonly contentType: string;
  /** `max-age=N, public`, as Apollo sent it. */
  readonly cacheControl: string;
  /** When the answer was made (by the tier's clock): the Age of a later hit. */
  readonly madeAt: number;
  readonly operationName: string | null;
  /** The cost the query-limits plugin charged, and what the answer really cost (refunded). */
  readonly requestedCost: number;
  readonly actualCost: number | undefined;
  /** Strong validator of `body` (GET answers only), made once. */
  readonly etag: string | undefined;
  /** The body compressed, per encoding, made on first demand. */
  readonly compressed: { br?: Buffer; gzip?: Buffer };
}

/**
 * Budget bytes of an answer: key and body (UTF-16), room for its two compressed copies (JSON
 * compresses to well under half its length) and the object's overhead.
 */
export function edgeAnswerBytes(key: string, answer: EdgeAnswer): number {
  return 2 * (key.length + answer.body.length) + answer.body.length + 512;
}
