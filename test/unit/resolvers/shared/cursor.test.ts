import { decodeCursor, encodeCursor, pageInfo } from "../../../../resolvers/shared/cursor";
import { BadUserInputError } from "../../../../src/errors/bff-errors";

describe("cursors", () => {
  test("round-trip the upstream cursor, opaquely", () => {
    const cursor = encodeCursor("p-0042");
    expect(cursor).not.toContain("p-0042");
    expect(decodeCursor(cursor)).toBe("p-0042");
    expect(decodeCursor(null)).toBeUndefined();
  });

  test.each([
    "p-0042",
    "!!!",
    "",
    Buffer.from("c1:").toString("base64url"),
    Buffer.from("x1:abc").toString("base64url"),
  ])("refuses %j", (bad) => {
    expect(() => decodeCursor(bad)).toThrow(BadUserInputError);
  });

  test("pageInfo", () => {
    expect(pageInfo(null)).toEqual({ endCursor: null, hasNextPage: false });
    expect(pageInfo("o-1")).toEqual({ endCursor: encodeCursor("o-1"), hasNextPage: true });
  });
});
