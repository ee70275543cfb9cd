import { Arg, Authorized, Ctx, ID, Int, Resolver, Root } from "type-graphql";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import type { ReviewModel } from "../../datasources/reviews/reviews.model";
import { User } from "../../schema/accounts/user.type";
import { Review } from "../../schema/catalog/review.type";
import { AddReviewPayload } from "../../schema/catalog/add-review-payload.type";
import { UserErrorCode, type UserError } from "../../schema/shared/user-error.type";
import { Cost } from "../../schema/shared/cost";
import type { Context } from "../../src/context";
import type { MaybePromise } from "../../datasources/shared/maybe-promise";
import { UpstreamField, UpstreamMutation } from "../shared/upstream-field";

export const MAX_REVIEW_LENGTH = 2_000;

interface AddReviewResult {
  readonly review: ReviewModel | null;
  readonly userErrors: UserError[];
}

@Resolver(() => Review)
export class ReviewResolver {
  /** Nullable on purpose: when accounts is down, reviews still render. */
  @UpstreamField(() => User, {
    nullable: true,
    service: "accounts",
    cost: Cost.upstream,
    cache: "accounts",
  })
  author(@Root() review: ReviewModel, @Ctx() { dataSources }: Context): MaybePromise<UserModel | null> {
    return dataSources.accounts.findUser(review.authorId);
  }

  /** Bad input is data (userErrors), not an error: rating 1..5, body 1..2000 characters, a product that exists. */
  @Authorized()
  @UpstreamMutation(() => AddReviewPayload, {
    service: ["catalog", "reviews"],
    cost: Cost.addReview,
  })
  async addReview(
    @Arg("productId", () => ID) productId: string,
    @Arg("rating", () => Int) rating: number,
    @Arg("body", () => String) body: string,
    @Ctx() { dataSources, viewer }: Context,
  ): Promise<AddReviewResult> {
    const text = body.trim();
    const userErrors: UserError[] = [];
    if (rating < 1 || rating > 5)
      userErrors.push({
        code: UserErrorCode.INVALID_INPUT,
        message: "rating must be between 1 and 5",
        field: ["rating"],
      });
    if (text.length < 1 || text.length > MAX_REVIEW_LENGTH) {
      userErrors.push({
        code: UserErrorCode.INVALID_INPUT,
        message: `body must be 1 to ${MAX_REVIEW_LENGTH} characters`,
        field: ["body"],
      });
    }
    if (userErrors.length > 0) return { review: null, userErrors };
    if (!(await dataSources.catalog.findProduct(productId))) {
      return {
        review: null,
        userErrors: [
          { code: UserErrorCode.PRODUCT_NOT_FOUND, message: `no product ${productId}`, field: ["productId"] },
        ],
      };
    }
    const review = await dataSources.reviews.addReview({
      productId,
      authorId: (viewer as NonNullable<typeof viewer>).id,
      rating,
      body: text,
    });
    return { review, userErrors: [] };
  }
}
