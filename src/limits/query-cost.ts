import { getNamedType, isLeafType, type DocumentNode, type GraphQLSchema } from "graphql";
import { fieldExtensionsEstimator, getComplexity, type ComplexityEstimator } from "graphql-query-complexity";

export const MIN_FIRST = 1;
export const MAX_FIRST = 100;

/** Arguments outside their bounds, found while costing (so before anything runs). */
export interface BoundViolation {
  readonly field: string;
  readonly argument: string;
  readonly value: unknown;
}

export interface QueryCost {
  readonly cost: number;
  readonly violations: readonly BoundViolation[];
  /** Some list is priced by `first`: what it really returns may cost less (see actualCost in actual-cost.ts). */
  readonly paged: boolean;
}

/** Checks every `first` (after variables are applied) on the way; gives no cost itself. */
const boundsChecker =
  (violations: BoundViolation[], seen: { paged: boolean }): ComplexityEstimator =>
  ({ type, field, args }) => {
    if (!("first" in args)) return;
    seen.paged = true;
    if (typeof args.first !== "number" || args.first < MIN_FIRST || args.first > MAX_FIRST) {
      violations.push({ field: `${type.name}.${field.name}`, argument: "first", value: args.first });
    }
  };

/** Fields without an explicit cost: leaves are free, objects cost 1 plus their fields. */
export const shapeEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
  isLeafType(getNamedType(field.type)) ? 0 : 1 + childComplexity;

/** The cost of one operation under the model in schema/shared/cost.ts, and any bound it breaks. */
export function costOf(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
): QueryCost {
  const violations: BoundViolation[] = [];
  const seen = { paged: false };
  const cost = getComplexity({
    schema,
    query,
    variables,
    operationName,
    estimators: [boundsChecker(violations, seen), fieldExtensionsEstimator(), shapeEstimator],
  });
  return { cost, violations, paged: seen.paged };
}
