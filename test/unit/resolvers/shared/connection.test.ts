import { pageQuery, toConnection } from "../../../../resolvers/shared/connection";
import { encodeCursor } from "../../../../resolvers/shared/cursor";
import { BadUserInputError } from "../../../../src/errors/bff-errors";

describe("toConnection", () => {
  test("a middle page: nodes as they came, the next cursor wrapped, the total as totalCount", () => {
    const items = [{ id: "p-1" }, { id: "p-2" }];
    expect(toConnection({ items, nextCursor: "p-2", total: 7 })).toEqual({
      nodes: items,
      pageInfo: { endCursor: encodeCursor("p-2"), hasNextPage: true },
      totalCount: 7,
    });
  });

  test("the last page of an upstream that gives no total: no next page, and no totalCount key", () => {
    const connection = toConnection({ items: [], nextCursor: null });
    expect(connection).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false } });
    expect("totalCount" in connection).toBe(false);
  });
});

describe("pageQuery", () => {
  test("first becomes the limit; after, one of our cursors, becomes the upstream's cursor", () => {
    expect(pageQuery({ first: 20 })).toEqual({ limit: 20, cursor: undefined });
    expect(pageQuery({ first: 5, after: null })).toEqual({ limit: 5, cursor: undefined });
    expect(pageQuery({ first: 5, after: encodeCursor("o-9") })).toEqual({ limit: 5, cursor: "o-9" });
  });

  test("an after we did not issue is BAD_USER_INPUT, before any upstream call", () => {
    expect(() => pageQuery({ first: 5, after: "o-9" })).toThrow(BadUserInputError);
  });
});
