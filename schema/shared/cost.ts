import type { ComplexityEstimator } from "graphql-query-complexity";

/**
 * The query cost model (docs/clients/cost-and-limits.md). A query's cost is computed before it runs:
 * - a scalar or enum field read from an object already fetched costs 0;
 * - an object field read from one already fetched costs 1, plus its fields;
 * - a field whose value costs an upstream call (batched or not) costs UPSTREAM, plus its fields;
 * - a list costs its own price plus `first` (or its default) times one item's cost; a list
 *   without `first` counts as its assumed size;
 * - mutations cost what their writes across services are worth.
 */
export const Cost = {
  upstream: 2,
  checkout: 50,
  addReview: 10,
} as const;

/** A list paged by `first`: one upstream call plus `first` items. */
export const pagedList =
  (defaultFirst: number, own: number = Cost.upstream): ComplexityEstimator =>
  ({ args, childComplexity }) =>
    own + (typeof args.first === "number" ? args.first : defaultFirst) * childComplexity;

/** A list with no `first`: its assumed size times one item's cost. */
export const sizedList =
  (assumedSize: number, own: number): ComplexityEstimator =>
  ({ childComplexity }) =>
    own + assumedSize * childComplexity;
