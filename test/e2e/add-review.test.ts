import { AddReviewDocument, type AddReviewMutationVariables } from "../../operations/generated/graphql";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

describe("addReview validation", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const add = async (variables: AddReviewMutationVariables) =>
    stack.post(AddReviewDocument, variables, { token: await token("u-0020") });
  const posts = () => stack.upstreams.services.reviews.calls.filter((c) => c.method === "POST").length;

  test.each([
    ["rating 0", { productId: "p-0001", rating: 0, body: "ok" }, [["rating"]]],
    ["rating 6", { productId: "p-0001", rating: 6, body: "ok" }, [["rating"]]],
    ["a blank body", { productId: "p-0001", rating: 3, body: "   " }, [["body"]]],
    ["a body of 2001 characters", { productId: "p-0001", rating: 3, body: "x".repeat(2001) }, [["body"]]],
    ["both wrong", { productId: "p-0001", rating: 9, body: "" }, [["rating"], ["body"]]],
  ])("%s is INVALID_INPUT at its field, and nothing is written", async (_label, variables, fields) => {
    const before = posts();
    const res = await add(variables);
    expect(res.body.data?.addReview.review).toBeNull();
    expect(res.body.data?.addReview.userErrors.map((e) => [e.code, e.field])).toEqual(
      fields.map((f) => ["INVALID_INPUT", f]),
    );
    expect(posts()).toBe(before);
  });

  test("the longest allowed body is accepted", async () => {
    const res = await add({ productId: "p-0001", rating: 5, body: "y".repeat(2000) });
    expect(res.body.data?.addReview.userErrors).toEqual([]);
    expect(res.body.data?.addReview.review?.body).toHaveLength(2000);
  });

  test("an unknown product is PRODUCT_NOT_FOUND", async () => {
    const res = await add({ productId: "p-9999", rating: 5, body: "Great" });
    expect(res.body.data?.addReview).toEqual({
      review: null,
      userErrors: [{ code: "PRODUCT_NOT_FOUND", message: expect.any(String), field: ["productId"] }],
    });
  });
});
