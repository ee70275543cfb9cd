import { BadUserInputError } from "../../src/errors/bff-errors";
import type { PageInfo } from "../../schema/shared/page-info.type";

const PREFIX = "c1:";

/**
 * Cursors are opaque to clients: the upstream's own cursor, versioned and base64url-wrapped,
 * so that the upstream's format can change without breaking a client that stored one.
 */
export const encodeCursor = (upstream: string): string => Buffer.from(PREFIX + upstream).toString("base64url");

/** The upstream cursor inside `after`; BAD_USER_INPUT when it is not one of ours. */
export function decodeCursor(after: string | null | undefined): string | undefined {
  if (after === null || after === undefined) return undefined;
  const decoded = /^[A-Za-z0-9_-]+$/.test(after) ? Buffer.from(after, "base64url").toString("utf8") : "";
  if (!decoded.startsWith(PREFIX) || decoded.length === PREFIX.length) {
    throw new BadUserInputError(
      `"after" is not a cursor this API issued: pass pageInfo.endCursor from a previous page`,
      { argument: "after" },
    );
  }
  return decoded.slice(PREFIX.length);
}

export const pageInfo = (nextCursor: string | null): PageInfo => ({
  endCursor: nextCursor === null ? null : encodeCursor(nextCursor),
  hasNextPage: nextCursor !== null,
});
