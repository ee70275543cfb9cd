import { getNamedType, getOperationAST, isLeafType, Kind, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from "graphql";
import { fieldExtensionsEstimator, getComplexity, type ComplexityEstimator, type ComplexityEstimatorArgs } from "graphql-query-complexity";

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
  /** Some list is priced by `first`: what it really returns may cost less (see actualCost). */
  readonly paged: boolean;
}

/** Checks every `first` (after variables are applied) on the way; gives no cost itself. */
const boundsChecker = (violations: BoundViolation[], seen: { paged: boolean }): ComplexityEstimator => ({ type, field, args }) => {
  if (!("first" in args)) return;
  seen.paged = true;
  if (typeof args.first !== "number" || args.first < MIN_FIRST || args.first > MAX_FIRST) {
    violations.push({ field: `${type.name}.${field.name}`, argument: "first", value: args.first });
  }
};

/** Fields without an explicit cost: leaves are free, objects cost 1 plus their fields. */
const shapeEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
  isLeafType(getNamedType(field.type)) ? 0 : 1 + childComplexity;

/** The cost of one operation under the model in schema/shared/cost.ts, and any bound it breaks. */
export function costOf(schema: GraphQLSchema, query: DocumentNode, variables: Record<string, unknown>, operationName?: string): QueryCost {
  const violations: BoundViolation[] = [];
  const seen = { paged: false };
  const cost = getComplexity({
    schema, query, variables, operationName,
    estimators: [boundsChecker(violations, seen), fieldExtensionsEstimator(), shapeEstimator],
  });
  return { cost, violations, paged: seen.paged };
}

/** How many items each list field (by its node in the document) really returned, over every place it resolved. */
type ListCounts = Map<FieldNode, { places: number; items: number }>;

/**
 * The cost of an executed operation, by the same model, with each list priced at the items it
 * really returned instead of `first` (Shopify's actualQueryCost). A list field that resolved in
 * several places (inside another list) is priced at its average size, which keeps the product
 * of nested lists exact. Never more than asked: the cost of a list that was not reached is its own price.
 */
export function actualCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined, data: unknown): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const counts: ListCounts = new Map();
  countLists(operation.selectionSet, data, fragments, counts);
  const asReturned: ComplexityEstimator = (options: ComplexityEstimatorArgs) => {
    if (!("first" in options.args)) return undefined;
    const estimate = options.field.extensions?.complexity;
    if (typeof estimate !== "function") return undefined;
    const seen = counts.get(options.node);
    const first = seen && seen.places > 0 ? seen.items / seen.places : 0;
    return (estimate as ComplexityEstimator)({ ...options, args: { ...options.args, first } });
  };
  return Math.ceil(getComplexity({ schema, query: document, variables, operationName, estimators: [asReturned, fieldExtensionsEstimator(), shapeEstimator] }));
}

/** Walks the result beside the document (fragments inline, aliases as response keys), counting list items. */
function countLists(set: SelectionSetNode, value: unknown, fragments: Map<string, FragmentDefinitionNode>, counts: ListCounts): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) countLists(set, item, fragments, counts);
    return;
  }
  for (const selection of set.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (fragment) countLists(fragment.selectionSet, value, fragments, counts);
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      countLists(selection.selectionSet, value, fragments, counts);
      continue;
    }
    if (!selection.selectionSet) continue;
    const child = (value as Record<string, unknown>)[selection.alias?.value ?? selection.name.value];
    const items = Array.isArray(child) ? child.length : Array.isArray((child as { nodes?: unknown } | null)?.nodes) ? (child as { nodes: unknown[] }).nodes.length : undefined;
    if (items !== undefined) {
      const seen = counts.get(selection) ?? { places: 0, items: 0 };
      seen.places += 1;
      seen.items += items;
      counts.set(selection, seen);
    }
    countLists(selection.selectionSet, child, fragments, counts);
  }
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

  /** What the executed operation cost (see actualCost); `requested` when no list is paged. */
  actual(document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined, requested: QueryCost, data: unknown): number {
    if (!requested.paged) return requested.cost;
    return Math.min(requested.cost, actualCost(this.schema, document, variables, operationName, data));
  }
}
