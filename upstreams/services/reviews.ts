import type { Express } from "express";
import { HttpError, idList, intParam, requireBody, sendNoStore, sendPublic } from "../kit";
import type { Review } from "../wire";
import type { DemoContext } from "../demo";

const MAX_AGE = 30;

/** Reviews: newest first per product, summaries, and new reviews. Reads are public for 30 s. */
export function reviewsRoutes({ data, now, webhooks }: DemoContext) {
  const byProduct = new Map<string, Review[]>();
  const add = (review: Review): void => {
    const list = byProduct.get(review.productId) ?? [];
    list.unshift(review); // newest first
    byProduct.set(review.productId, list);
  };
  [...data.reviews].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).forEach(add);

  return (app: Express): void => {
    app.get("/reviews", (req, res) => {
      const ids = idList(req, "productIds") ?? [];
      const limit = intParam(req, "limitPerProduct", 5, 1, 50);
      const items = ids.flatMap((id) => (byProduct.get(id) ?? []).slice(0, limit));
      sendPublic(req, res, { items }, MAX_AGE);
    });
    app.get("/reviews/summary", (req, res) => {
      const ids = idList(req, "productIds") ?? [];
      const items = ids.flatMap((productId) => {
        const list = byProduct.get(productId) ?? [];
        if (list.length === 0) return [];
        const average = Math.round((list.reduce((sum, r) => sum + r.rating, 0) / list.length) * 100) / 100;
        return [{ productId, average, count: list.length }];
      });
      sendPublic(req, res, { items }, MAX_AGE);
    });
    app.post("/reviews", (req, res) => {
      const body = requireBody(req);
      const { productId, authorId, rating, body: text } = body;
      if (typeof productId !== "string" || typeof authorId !== "string")
        throw new HttpError(400, "INVALID_BODY", "productId and authorId are required");
      if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5)
        throw new HttpError(400, "INVALID_RATING", "rating must be 1..5");
      if (typeof text !== "string" || text.length < 1 || text.length > 2000)
        throw new HttpError(400, "INVALID_BODY", "body must be 1..2000 characters");
      const review: Review = {
        id: `r-${String(data.reviews.length + 1).padStart(6, "0")}`,
        productId,
        authorId,
        rating: rating as number,
        body: text,
        createdAt: new Date(now()).toISOString(),
      };
      data.reviews.push(review);
      add(review);
      webhooks.send("review.created", { productId, reviewId: review.id });
      sendNoStore(res, 201, review);
    });
  };
}
