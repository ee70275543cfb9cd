import {
  getNamedType,
  getOperationAST,
  isLeafType,
  Kind,
  visit,
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
const shapeEstimator: ComplexityEstimator = ({ field, childComplexity }) =>
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

/** How many items each list field (by its node in the document) really returned, over every place it resolved. */
type ListCounts = Map<FieldNode, { places: number; items: number }>;

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
function listCounts(document: DocumentNode, operationName: string | undefined, data: unknown): ListCounts {
  const counts: ListCounts = new Map();
  const operation = getOperationAST(document, operationName);
  if (!operation) return counts;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  countLists(operation.selectionSet, data, fragments, counts);
  return counts;
}

function costAsReturned(
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
interface Known {
  readonly paging: readonly string[];
  readonly costs: Map<string, QueryCost>;
  /** Actual costs by requested key and list sizes: the same page of the same data is costed once. */
  readonly actuals: Map<string, number>;
  /** A number per list field of the document, for those keys. */
  readonly fieldIds: Map<FieldNode, number>;
}

export class QueryCoster {
  private readonly known = new WeakMap<DocumentNode, Known>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxPerDocument = 64,
  ) {}

  cost(document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): QueryCost {
    const entry = this.entry(document);
    const key = this.key(entry, variables, operationName);
    const known = entry.costs.get(key);
    if (known) return known;
    const computed = costOf(this.schema, document, variables, operationName);
    if (entry.costs.size < this.maxPerDocument) entry.costs.set(key, computed);
    return computed;
  }

  /**
   * What the executed operation cost (see actualCost); `requested` when no list is paged.
   * The result is walked once per response; the costing itself is remembered per document,
   * paging variables and list sizes (a cached page costs the same every time).
   */
  actual(
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName: string | undefined,
    requested: QueryCost,
    data: unknown,
  ): number {
    if (!requested.paged) return requested.cost;
    const entry = this.entry(document);
    const counts = listCounts(document, operationName, data);
    let key = this.key(entry, variables, operationName);
    for (const [node, seen] of counts) {
      let id = entry.fieldIds.get(node);
      if (id === undefined) entry.fieldIds.set(node, (id = entry.fieldIds.size));
      key += `|${id}:${seen.items}/${seen.places}`;
    }
    const known = entry.actuals.get(key);
    if (known !== undefined) return known;
    const computed = Math.min(requested.cost, costAsReturned(this.schema, document, variables, operationName, counts));
    if (entry.actuals.size < this.maxPerDocument) entry.actuals.set(key, computed);
    return computed;
  }

  private entry(document: DocumentNode): Known {
    let entry = this.known.get(document);
    if (!entry) {
      entry = { paging: pagingVariables(document), costs: new Map(), actuals: new Map(), fieldIds: new Map() };
      this.known.set(document, entry);
    }
    return entry;
  }

  private key(entry: Known, variables: Record<string, unknown>, operationName: string | undefined): string {
    let key = operationName ?? "";
    for (const name of entry.paging) key += `|${JSON.stringify(variables[name]) ?? "-"}`;
    return key;
  }
}
