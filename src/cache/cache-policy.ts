import {
  getNamedType,
  getOperationAST,
  isCompositeType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

/** A response's cache policy: the shortest max-age of its fields, PRIVATE if any field is personal. */
export interface CachePolicy {
  readonly maxAge: number;
  readonly scope: "PUBLIC" | "PRIVATE";
}

interface Hint {
  maxAge?: number;
  scope?: "PUBLIC" | "PRIVATE";
  inheritMaxAge?: boolean;
}

const UNCACHEABLE: CachePolicy = { maxAge: 0, scope: "PUBLIC" };

/**
 * Apollo's cache-control rules (the `@cacheControl` hints of schema/shared/cache-control.ts),
 * applied to the document once instead of to every resolved field: a root field or an object
 * field without a hint has max-age 0, a scalar takes its parent's, `inheritMaxAge` takes its
 * parent's, and a field with an access rule is PRIVATE (who may see it depends on who asks).
 * Every selected field counts, even one that a null parent skips at run time: the policy can
 * only be stricter than Apollo's, never looser. Remembered per parsed document.
 */
export class CachePolicies {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, CachePolicy>>();
  private readonly hints = new WeakMap<object, Hint>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly personal: ReadonlySet<string>,
  ) {}

  of(document: DocumentNode, operationName: string | null | undefined): CachePolicy {
    let known = this.byDocument.get(document);
    if (!known) this.byDocument.set(document, (known = new Map()));
    const key = operationName ?? "";
    let policy = known.get(key);
    if (!policy) known.set(key, (policy = this.compute(document, operationName)));
    return policy;
  }

  private compute(document: DocumentNode, operationName: string | null | undefined): CachePolicy {
    const operation = getOperationAST(document, operationName);
    const root = operation && this.schema.getRootType(operation.operation);
    if (!operation || !root) return UNCACHEABLE;
    const fragments = new Map(
      document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
    );
    let maxAge = Infinity;
    let scope: CachePolicy["scope"] = "PUBLIC";
    const walk = (
      set: SelectionSetNode,
      parent: GraphQLCompositeType,
      isRoot: boolean,
      spread: ReadonlySet<string>,
    ): void => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
          if (type && isCompositeType(type)) walk(selection.selectionSet, type, isRoot, spread);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
          if (fragment && type && isCompositeType(type) && !spread.has(fragment.name.value)) {
            walk(fragment.selectionSet, type, isRoot, new Set([...spread, fragment.name.value]));
          }
        } else if (!selection.name.value.startsWith("__") && "getFields" in parent) {
          const field = parent.getFields()[selection.name.value];
          if (!field) continue;
          const hint = this.fieldHint(parent.name, field, isRoot);
          if (hint.maxAge !== undefined) maxAge = Math.min(maxAge, hint.maxAge);
          if (hint.scope === "PRIVATE") scope = "PRIVATE";
          const type = getNamedType(field.type);
          if (selection.selectionSet && isCompositeType(type)) walk(selection.selectionSet, type, false, spread);
        }
      }
    };
    walk(operation.selectionSet, root, true, new Set());
    return { maxAge: maxAge === Infinity ? 0 : maxAge, scope };
  }

  /** One field's hint, as Apollo's cache-control plugin works it out at run time. */
  private fieldHint(parentName: string, field: GraphQLField<unknown, unknown>, isRoot: boolean): Hint {
    const type = getNamedType(field.type);
    const composite = isCompositeType(type);
    const policy: Hint = composite ? { ...this.hintOf(type) } : {};
    let inherit = composite && policy.inheritMaxAge === true;
    const own = this.hintOf(field);
    if (own.inheritMaxAge && policy.maxAge === undefined) {
      inherit = true;
      if (own.scope) policy.scope = own.scope;
    } else {
      if (own.maxAge !== undefined) policy.maxAge = own.maxAge;
      if (own.scope !== undefined) policy.scope = own.scope;
    }
    if (this.personal.has(`${parentName}.${field.name}`)) policy.scope = "PRIVATE";
    if (policy.maxAge === undefined && ((composite && !inherit) || isRoot)) policy.maxAge = 0;
    return policy;
  }

  /** The `@cacheControl` directive on a field or a type definition. */
  private hintOf(element: GraphQLField<unknown, unknown> | GraphQLNamedType): Hint {
    let hint = this.hints.get(element);
    if (hint) return hint;
    hint = {};
    const directive = element.astNode?.directives?.find((d) => d.name.value === "cacheControl");
    for (const arg of directive?.arguments ?? []) {
      const value = valueFromASTUntyped(arg.value);
      if (arg.name.value === "maxAge" && typeof value === "number") hint.maxAge = value;
      if (arg.name.value === "scope" && (value === "PUBLIC" || value === "PRIVATE")) hint.scope = value;
      if (arg.name.value === "inheritMaxAge" && value === true) hint.inheritMaxAge = true;
    }
    this.hints.set(element, hint);
    return hint;
  }
}
