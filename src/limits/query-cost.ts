import { getNamedType, isLeafType, Kind, visit, type DocumentNode, type GraphQLSchema } from "graphql";
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
}

/** Checks every `first` (after variables are applied) on the way; gives no cost itself. */
const boundsChecker = (violations: BoundViolation[]): ComplexityEstimator => ({ type, field, args }) => {
  if ("first" in args && (typeof args.first !== "number" || args.first < MIN_FIRST || args.first > MAX_FIRST)) {
    violations.push({ field: `${type.name}.${field.name}`, argument: "first", value: args.first });
  }
};

/** Fields without an explicit cost: leaves are free, objects cost 1 plus their fields. */
const shapeEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
  isLeafType(getNamedType(field.type)) ? 0 : 1 + childComplexity;

/** The cost of one operation under the model in schema/shared/cost.ts, and any bound it breaks. */
export function costOf(schema: GraphQLSchema, query: DocumentNode, variables: Record<string, unknown>, operationName?: string): QueryCost {
  const violations: BoundViolation[] = [];
  const cost = getComplexity({
    schema, query, variables, operationName,
    estimators: [boundsChecker(violations), fieldExtensionsEstimator(), shapeEstimator],
  });
  return { cost, violations };
}

/** Variables passed to a `first` argument anywhere in the document: the only ones a cost depends on. */
function pagingVariables(document: DocumentNode): readonly string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.name.value === "first" && node.value.kind === Kind.VARIABLE) names.add(node.value.name.value);
    },
  });
  return [...names];
}

/**
 * costOf, remembered per parsed document (Apollo hands out the same DocumentNode for the same
 * text) and per value of its paging variables: the cost model reads no other argument
 * (schema/shared/cost.ts), so `product(id: $id)` is costed once, not once per id.
 */
export class QueryCoster {
  private readonly known = new WeakMap<DocumentNode, { paging: readonly string[]; costs: Map<string, QueryCost> }>();

  constructor(private readonly schema: GraphQLSchema, private readonly maxPerDocument = 64) {}

  cost(document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): QueryCost {
    let entry = this.known.get(document);
    if (!entry) {
      entry = { paging: pagingVariables(document), costs: new Map() };
      this.known.set(document, entry);
    }
    let key = operationName ?? "";
    for (const name of entry.paging) key += `|${JSON.stringify(variables[name]) ?? "-"}`;
    const known = entry.costs.get(key);
    if (known) return known;
    const computed = costOf(this.schema, document, variables, operationName);
    if (entry.costs.size < this.maxPerDocument) entry.costs.set(key, computed);
    return computed;
  }
}
