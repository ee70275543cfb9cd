import type { MaybePromise } from "../shared/maybe-promise";
export interface ReviewModel {
  readonly id: string;
  readonly productId: string;
  readonly authorId: string;
  readonly rating: number;
  readonly body: string;
  readonly createdAt: string;
}

export interface RatingModel {
  readonly average: number;
  readonly count: number;
}

export interface NewReview {
  readonly productId: string;
  readonly authorId: string;
  readonly rating: number;
  readonly body: string;
}

export interface ReviewsSource {
  /** The product's newest reviews, newest first, at most `first` (and at most 50). */
  listReviews(productId: string, first: number): MaybePromise<readonly ReviewModel[]>;
  /** Null when the product has no reviews. */
  findRating(productId: string): MaybePromise<RatingModel | null>;
  addReview(review: NewReview): Promise<ReviewModel>;
}
