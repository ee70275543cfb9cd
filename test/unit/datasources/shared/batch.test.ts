import { byId, MAX_BATCH } from "../../../../datasources/shared/batch";
import type { UpstreamResponse } from "../../../../src/http/service-http";

const response = <B>(data: B | undefined, status = 200) =>
  ({ status, data, headers: {} }) as unknown as UpstreamResponse<B>;

describe("batch responses", () => {
  test("byId re-keys the items of a batch answer by their id, keeping the rest of the response", () => {
    const res = response({
      items: [
        { productId: "p-2", n: 2 },
        { productId: "p-1", n: 1 },
      ],
    });
    const keyed = byId(
      res,
      (body) => body.items,
      (item) => item.productId,
    );
    expect(keyed.status).toBe(200);
    expect([...(keyed.data ?? new Map()).entries()]).toEqual([
      ["p-2", { productId: "p-2", n: 2 }],
      ["p-1", { productId: "p-1", n: 1 }],
    ]);
  });

  test("a 304 has no body, and stays without one", () => {
    expect(
      byId(
        response<{ items: { id: string }[] }>(undefined, 304),
        (b) => b.items,
        (i) => i.id,
      ).data,
    ).toBeUndefined();
  });

  test("DataLoaders split batches at the contract's limit of 100 ids per batch read", () => {
    expect(MAX_BATCH).toBe(100);
  });
});
