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
 * Budget bytes of an answer: its key and body as V8 holds them (one byte a character when every
 * character is Latin-1, as JSON of ASCII data is; two otherwise), room for its compressed copies
 * (JSON compresses to well under a quarter of its length, and there are two encodings at most),
 * and the object's own overhead.
 */
export function edgeAnswerBytes(key: string, answer: EdgeAnswer): number {
  return stringBytes(key) + stringBytes(answer.body) + Math.ceil(answer.body.length / 2) + 512;
}

const PAST_LATIN1 = /[\u0100-\uffff]/;
const stringBytes = (text: string): number => (PAST_LATIN1.test(text) ? 2 : 1) * text.length;
