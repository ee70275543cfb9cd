import { AddReviewDocument } from "../../../../operations/generated/graphql";
import { UpstreamError } from "../../../../src/errors/upstream-error";
import { buildProduct, buildUser } from "../../../support/builders";
import { fakeSources } from "../../../support/fake-sources";
import { codes, customer, execute, testContext } from "../../../support/test-context";

const world = { products: [buildProduct()], users: [buildUser({ id: "u-0020", name: "Linus" })] };

describe("ReviewResolver (fake datasources)", () => {
  test("addReview: the trimmed body, the viewer as author; the author resolved from accounts", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      AddReviewDocument,
      { productId: "p-0001", rating: 4, body: "  Quiet.  " },
      testContext({ sources, viewer: customer("u-0020") }),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.addReview).toEqual({
      review: {
        id: "r-0001",
        rating: 4,
        body: "Quiet.",
        createdAt: "2026-11-21T09:00:00.000Z",
        author: { id: "u-0020", name: "Linus" },
      },
      userErrors: [],
    });
    expect(asked.calls).toEqual([
      "catalog.findProduct p-0001",
      'reviews.addReview {"productId":"p-0001","authorId":"u-0020","rating":4,"body":"Quiet."}',
      "accounts.findUser u-0020",
    ]);
  });

  test.each([
    [{ rating: 0, body: "ok" }, [["rating"]]],
    [{ rating: 6, body: "   " }, [["rating"], ["body"]]],
    [{ rating: 3, body: "x".repeat(2_001) }, [["body"]]],
  ])("bad input %j is userErrors (INVALID_INPUT) and asks nothing", async (input, fields) => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      AddReviewDocument,
      { productId: "p-0001", ...input },
      testContext({ sources, viewer: customer() }),
    );
    expect(answer.data?.addReview.review).toBeNull();
    expect(answer.data?.addReview.userErrors.map((e) => [e.code, e.field])).toEqual(
      fields.map((f) => ["INVALID_INPUT", f]),
    );
    expect(asked.calls).toEqual([]);
  });

  test("an unknown product is PRODUCT_NOT_FOUND, and reviews is not written to", async () => {
    const { sources, asked } = fakeSources(world);
    const answer = await execute(
      AddReviewDocument,
      { productId: "p-0404", rating: 5, body: "?" },
      testContext({ sources, viewer: customer() }),
    );
    expect(answer.data?.addReview.userErrors).toEqual([
      { code: "PRODUCT_NOT_FOUND", message: "no product p-0404", field: ["productId"] },
    ]);
    expect(asked.calls).toEqual(["catalog.findProduct p-0404"]);
  });

  test("anonymous: UNAUTHENTICATED, nothing asked; reviews down: UPSTREAM_UNAVAILABLE naming it", async () => {
    const { sources, asked } = fakeSources(world);
    const anonymous = await execute(
      AddReviewDocument,
      { productId: "p-0001", rating: 5, body: "!" },
      testContext({ sources }),
    );
    expect(codes(anonymous)).toEqual([["UNAUTHENTICATED", "addReview"]]);
    expect(asked.calls).toEqual([]);
    const down = fakeSources({ ...world, down: { reviews: new UpstreamError("reviews", "status", 502) } });
    const failed = await execute(
      AddReviewDocument,
      { productId: "p-0001", rating: 5, body: "!" },
      testContext({ sources: down.sources, viewer: customer() }),
    );
    expect(failed.errors?.map((e) => e.extensions)).toEqual([
      { code: "UPSTREAM_UNAVAILABLE", service: "reviews", requestId: "test-request" },
    ]);
  });

  test("Review.author: null with no error when accounts has no such user", async () => {
    const { sources } = fakeSources({ ...world, users: [] });
    const answer = await execute(
      AddReviewDocument,
      { productId: "p-0001", rating: 5, body: "!" },
      testContext({ sources, viewer: customer("u-0020") }),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.addReview.review?.author).toBeNull();
  });
});
