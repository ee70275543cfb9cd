import { cacheKey, cacheKeyPrefix, queryString } from "../../../../datasources/shared/cache-keys";

describe("cache keys", () => {
  test("service:resource:version:id, and the prefix every key of a resource starts with", () => {
    expect(cacheKey("catalog", "product", "p-0001")).toBe("catalog:product:v1:p-0001");
    expect(cacheKeyPrefix("catalog", "products")).toBe("catalog:products:v1:");
    expect(cacheKey("catalog", "products", "limit=20").startsWith(cacheKeyPrefix("catalog", "products"))).toBe(true);
    expect(cacheKey("catalog", "product", "p-1").startsWith(cacheKeyPrefix("catalog", "products"))).toBe(false);
  });

  test("queryString leaves out undefined parameters, keeps the given order, and encodes values", () => {
    expect(queryString({ limit: 20, cursor: undefined, categoryId: "c-01", q: "red & blue" })).toBe(
      "limit=20&categoryId=c-01&q=red+%26+blue",
    );
    expect(queryString({})).toBe("");
  });
});
