import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from "graphql";

/**
 * Look-ahead: what a resolver can start for its children before its own answer is in.
 *
 * graphql-js runs a field's children only once the field's value is known, so a child whose
 * upstream call needs nothing of that value (the orders of `me` need only the caller's id, the
 * stock of `product(id:)` only the id) would wait a whole upstream round trip for nothing. The
 * parent's resolver starts such a call beside its own; the child's resolver later makes the same
 * call and meets it in the per-request DataLoader or memo, so nothing is called twice.
 *
 * A parent starts a child's call only where its own call goes upstream (a cached parent's
 * children run at once anyway), only after its own authorization passed (the child's rule must
 * then pass too), and only for selections that will run: @skip and @include are applied.
 */

/**
 * The arguments of each selection of `child` directly under the field being resolved (aliases can
 * select it more than once), coerced as its resolver will get them: variables and defaults
 * applied (so `TArgs`, the shape of the child's arguments, holds). Empty when the field's type is
 * not an object type or does not select `child`.
 */
export function childArguments<TArgs = Record<string, unknown>>(
  info: GraphQLResolveInfo,
  child: string,
): readonly TArgs[] {
  return (selectedChildren(info).get(child) ?? []) as readonly TArgs[];
}

/** Whether the field being resolved selects `child` (in a selection that will run). */
export const selects = (info: GraphQLResolveInfo, child: string): boolean => selectedChildren(info).has(child);

/**
 * The walks made, by field nodes and then variables. Every item of a list shares both (graphql-js
 * collects a list's subfields once per request), so a parent under a list walks its selection once
 * per request, not once per item; and the entries go with the request's objects.
 */
const walked = new WeakMap<readonly FieldNode[], WeakMap<object, ReadonlyMap<string, unknown[]>>>();

function selectedChildren(info: GraphQLResolveInfo): ReadonlyMap<string, unknown[]> {
  let byVariables = walked.get(info.fieldNodes);
  if (!byVariables) walked.set(info.fieldNodes, (byVariables = new WeakMap()));
  let children = byVariables.get(info.variableValues);
  if (!children) byVariables.set(info.variableValues, (children = walk(info)));
  return children;
}

/** One walk of the selection under the field being resolved: each child field it selects, with its arguments. */
function walk(info: GraphQLResolveInfo): ReadonlyMap<string, unknown[]> {
  const children = new Map<string, unknown[]>();
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return children;
  const fields = type.getFields();
  const visited = new Set<string>();
  const runs = (node: Parameters<typeof getDirectiveValues>[1]): boolean =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const applies = (typeCondition: string | undefined): boolean =>
    typeCondition === undefined || typeCondition === type.name;
  const visit = (selections: SelectionSetNode | undefined): void => {
    for (const selection of selections?.selections ?? []) {
      if (!runs(selection)) continue;
      if (selection.kind === "Field") {
        const name = selection.name.value;
        const definition = fields[name];
        if (!definition) continue; // __typename
        try {
          const args = getArgumentValues(definition, selection, info.variableValues);
          children.set(name, [...(children.get(name) ?? []), args]);
        } catch {
          // arguments the child's own resolver will refuse at its path: a look-ahead never fails its parent
        }
      } else if (selection.kind === "InlineFragment") {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || visited.has(name) || !applies(fragment.typeCondition.name.value)) continue;
        visited.add(name);
        visit(fragment.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return children;
}

/**
 * Starts a child's call now. Its answer, or its error, is kept by the DataLoader or memo that
 * the child's resolver will read; if that resolver never runs (the parent turned out null), the
 * error is dropped here instead of becoming an unhandled rejection.
 */
export function startEarly(call: () => unknown): void {
  try {
    const started = call();
    if (started instanceof Promise) started.catch(() => undefined);
  } catch {
    // bad arguments: the child's own resolver meets them and reports them at its path
  }
}
