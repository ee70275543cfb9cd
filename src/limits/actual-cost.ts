import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import {
  fieldExtensionsEstimator,
  getComplexity,
  type ComplexityEstimator,
  type ComplexityEstimatorArgs,
} from "graphql-query-complexity";
import { shapeEstimator } from "./query-cost";

/** How many items each list field (by its node in the document) really returned, over every place it resolved. */
export type ListCounts = Map<FieldNode, { places: number; items: number }>;

/**
 * The cost of an executed operation, by the same model, with each list priced at the items it
 * really returned instead of `first` (Shopify's actualQueryCost). A list field that resolved in
 * several places (inside another list) is priced at its average size, which keeps the product
 * of nested lists exact. Never more than asked: the cost of a list that was not reached is its own price.
 */
export function actualCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  data: unknown,
): number {
  return costAsReturned(schema, document, variables, operationName, listCounts(document, operationName, data));
}

/** How many items each list of the operation returned (see actualCost). */
export function listCounts(document: DocumentNode, operationName: string | undefined, data: unknown): ListCounts {
  const counts: ListCounts = new Map();
  const operation = getOperationAST(document, operationName);
  if (!operation) return counts;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  countLists(operation.selectionSet, data, fragments, counts);
  return counts;
}

export function costAsReturned(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  counts: ListCounts,
): number {
  const asReturned: ComplexityEstimator = (options: ComplexityEstimatorArgs) => {
    if (!("first" in options.args)) return undefined;
    const estimate = options.field.extensions?.complexity;
    if (typeof estimate !== "function") return undefined;
    const seen = counts.get(options.node);
    const first = seen && seen.places > 0 ? seen.items / seen.places : 0;
    return (estimate as ComplexityEstimator)({ ...options, args: { ...options.args, first } });
  };
  return Math.ceil(
    getComplexity({
      schema,
      query: document,
      variables,
      operationName,
      estimators: [asReturned, fieldExtensionsEstimator(), shapeEstimator],
    }),
  );
}

/** Walks the result beside the document (fragments inline, aliases as response keys), counting list items. */
function countLists(
  set: SelectionSetNode,
  value: unknown,
  fragments: Map<string, FragmentDefinitionNode>,
  counts: ListCounts,
): void {
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
    const items = Array.isArray(child)
      ? child.length
      : Array.isArray((child as { nodes?: unknown } | null)?.nodes)
        ? (child as { nodes: unknown[] }).nodes.length
        : undefined;
    if (items !== undefined) {
      const seen = counts.get(selection) ?? { places: 0, items: 0 };
      seen.places += 1;
      seen.items += items;
      counts.set(selection, seen);
    }
    countLists(selection.selectionSet, child, fragments, counts);
  }
}
