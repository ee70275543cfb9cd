import { Kind, visit, type DocumentNode, type FieldNode, type GraphQLSchema } from "graphql";
import { costAsReturned, listCounts } from "./actual-cost";
import { costOf, type QueryCost } from "./query-cost";

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
