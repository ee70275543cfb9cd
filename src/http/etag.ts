import { createHash } from "node:crypto";

/** A strong validator of a response body: equal bodies, equal tags, whoever asked. */
export function etagOf(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** If-None-Match against a tag, by the weak comparison RFC 9110 §13.1.2 prescribes for it (and `*`). */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === opaque);
}

/** Whether a response is marked shareable: `public` (or `s-maxage`) in its Cache-Control. */
export function isShareable(cacheControl: string | undefined): boolean {
  return (
    cacheControl !== undefined &&
    /(?:^|[\s,])(?:public|s-maxage=)/i.test(cacheControl) &&
    !/no-store|private/i.test(cacheControl)
  );
}
