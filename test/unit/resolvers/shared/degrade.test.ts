import type { GraphQLResolveInfo } from "graphql";
import { orFallback } from "../../../../resolvers/shared/degrade";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import { testContext } from "../../../support/test-context";

/** The part of GraphQLResolveInfo orFallback reads: the field's path. */
const at = (...keys: Array<string | number>): GraphQLResolveInfo => {
  let path: GraphQLResolveInfo["path"] | undefined;
  for (const key of keys) path = { prev: path, key, typename: undefined };
  return { path } as GraphQLResolveInfo;
};

describe("orFallback", () => {
  test("a value answered from the process's cache passes through as a value, not a promise", () => {
    const ctx = testContext();
    expect(orFallback(["r-1"], [], ctx, at("product", "reviews"))).toEqual(["r-1"]);
    expect(ctx.partialErrors).toEqual([]);
  });

  test("an upstream failure resolves to the fallback and is reported at the field's path", async () => {
    const ctx = testContext();
    const error = new UpstreamError("reviews", "status", 503);
    await expect(orFallback(Promise.reject(error), [], ctx, at("products", "nodes", 2, "reviews"))).resolves.toEqual(
      [],
    );
    expect(ctx.partialErrors).toEqual([{ error, path: ["products", "nodes", 2, "reviews"] }]);
  });

  test("anything else is a bug: it propagates, nothing is reported", async () => {
    const ctx = testContext();
    await expect(orFallback(Promise.reject(new TypeError("boom")), [], ctx, at("product", "reviews"))).rejects.toThrow(
      "boom",
    );
    expect(ctx.partialErrors).toEqual([]);
  });
});
