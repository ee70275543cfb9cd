import DataLoader from "dataloader";
import { mapOnce, type MaybePromise } from "../shared/maybe-promise";
import { fetchItems, MAX_BATCH } from "../shared/batch";
import { cacheKey } from "../shared/cache-keys";
import type { SourceDeps } from "../shared/source-deps";
import type { ReviewDto, ReviewListDto, SummaryDto } from "./reviews.dto";
import type { NewReview, RatingModel, ReviewModel, ReviewsSource } from "./reviews.model";

/** The upstream's maximum per product: one cached list per product serves every `first`. */
const REVIEWS_PER_PRODUCT = 50;
const reviewsKey = (id: string): string => cacheKey("reviews", "by-product", id);
const ratingKey = (id: string): string => cacheKey("reviews", "summary", id);
const toReview = (dto: ReviewDto): ReviewModel => ({ ...dto });
const reviewsOf = mapOnce((list: readonly ReviewDto[]): readonly ReviewModel[] => list.map(toReview)) as (
  list: readonly ReviewDto[],
) => readonly ReviewModel[];
const firstOf = (list: readonly ReviewDto[], first: number): readonly ReviewModel[] => reviewsOf(list).slice(0, first);
const ratingOf = mapOnce((dto: SummaryDto): RatingModel => ({ average: dto.average, count: dto.count }));

/**
 * Reviews service client, built per request. Reads are public and cached for reviews'
 * max-age (30 s); adding a review drops that product's cached entries.
 */
export class ReviewsApi implements ReviewsSource {
  private readonly reviews = new DataLoader<string, readonly ReviewDto[]>((ids) => this.fetchReviews(ids), {
    maxBatchSize: MAX_BATCH,
  });
  private readonly ratings = new DataLoader<string, RatingModel | null>((ids) => this.fetchRatings(ids), {
    maxBatchSize: MAX_BATCH,
  });

  constructor(private readonly deps: SourceDeps) {}

  listReviews(productId: string, first: number): MaybePromise<readonly ReviewModel[]> {
    const hit = this.deps.cache.fresh<ReviewDto[]>("reviews", reviewsKey(productId));
    if (hit !== undefined) return firstOf(hit ?? [], first);
    return this.reviews.load(productId).then((list) => firstOf(list, first));
  }

  findRating(productId: string): MaybePromise<RatingModel | null> {
    const hit = this.deps.cache.fresh<SummaryDto>("reviews", ratingKey(productId));
    return hit !== undefined ? ratingOf(hit) : this.ratings.load(productId);
  }

  /** A write, never cached; the product's cached reviews and rating are dropped so the author sees it. */
  async addReview(review: NewReview): Promise<ReviewModel> {
    const res = await this.deps.http.request<ReviewDto>({ method: "POST", path: "/reviews", body: review });
    await this.deps.cache.delete([reviewsKey(review.productId), ratingKey(review.productId)]);
    this.reviews.clear(review.productId);
    this.ratings.clear(review.productId);
    return toReview(res.data as ReviewDto);
  }

  private async fetchReviews(ids: readonly string[]): Promise<Array<readonly ReviewDto[]>> {
    const lists = await this.deps.cache.batch<ReviewDto[]>(
      "reviews",
      ids.map(reviewsKey),
      ids,
      async (missing, validators) => {
        const res = await this.deps.http.request<ReviewListDto>({
          path: "/reviews",
          params: { productIds: missing.join(","), limitPerProduct: REVIEWS_PER_PRODUCT },
          validators,
        });
        const grouped = new Map<string, ReviewDto[]>(missing.map((id) => [id, []]));
        res.data?.items.forEach((dto) => grouped.get(dto.productId)?.push(dto));
        return { ...res, data: res.data && grouped };
      },
      this.deps.onStale,
    );
    return lists.map((list) => list ?? []);
  }

  private async fetchRatings(ids: readonly string[]): Promise<Array<RatingModel | null>> {
    const dtos = await this.deps.cache.batch<SummaryDto>(
      "reviews",
      ids.map(ratingKey),
      ids,
      fetchItems<SummaryDto>(this.deps.http, "/reviews/summary", "productIds", (dto) => dto.productId),
      this.deps.onStale,
    );
    return dtos.map(ratingOf);
  }
}
