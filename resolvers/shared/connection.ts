import type { ConnectionModel, CountedConnectionModel } from "../../schema/shared/connection.type";
import type { PageArgsModel } from "../../schema/shared/page.args";
import { decodeCursor, pageInfo } from "./cursor";

/** One page as a datasource's `listX` returns it. */
export interface Page<TItem> {
  readonly items: readonly TItem[];
  /** The upstream's cursor for the next page; null on the last page. */
  readonly nextCursor: string | null;
  /** Items over all pages, when the upstream says. */
  readonly total?: number;
}

/** What a datasource's `listX` takes from a connection's arguments. */
export interface PageQuery {
  readonly limit: number;
  /** The upstream's own cursor, unwrapped from `after`. */
  readonly cursor: string | undefined;
}

/** The upstream query of a page; BAD_USER_INPUT when `after` is not a cursor we issued. */
export const pageQuery = ({ first, after }: PageArgsModel): PageQuery => ({
  limit: first,
  cursor: decodeCursor(after),
});

/**
 * The connection of a page: `{ nodes, pageInfo }`, with `totalCount` when the page has a total.
 * The one place a connection is built, so every connection pages (and counts) the same way.
 */
export function toConnection<TItem>(page: Page<TItem> & { readonly total: number }): CountedConnectionModel<TItem>;
export function toConnection<TItem>(page: Page<TItem>): ConnectionModel<TItem>;
export function toConnection<TItem>(page: Page<TItem>): ConnectionModel<TItem> | CountedConnectionModel<TItem> {
  const info = pageInfo(page.nextCursor);
  return page.total === undefined
    ? { nodes: page.items, pageInfo: info }
    : { nodes: page.items, pageInfo: info, totalCount: page.total };
}
