import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
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
export function childArguments<TArgs = Record<string, unknown>>(info: GraphQLResolveInfo, child: string): TArgs[] {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return [];
  const definition = type.getFields()[child];
  if (!definition) return [];
  const found: TArgs[] = [];
  const visited = new Set<string>();
  const runs = (node: Parameters<typeof getDirectiveValues>[1]): boolean =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const applies = (typeCondition: string | undefined): boolean =>
    typeCondition === undefined || typeCondition === type.name;
  const walk = (selections: SelectionSetNode | undefined): void => {
    for (const selection of selections?.selections ?? []) {
      if (!runs(selection)) continue;
      if (selection.kind === "Field") {
        if (selection.name.value !== child) continue;
        try {
          found.push(getArgumentValues(definition, selection, info.variableValues) as TArgs);
        } catch {
          // arguments the child's own resolver will refuse at its path: a look-ahead never fails its parent
        }
      } else if (selection.kind === "InlineFragment") {
        if (applies(selection.typeCondition?.name.value)) walk(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || visited.has(name) || !applies(fragment.typeCondition.name.value)) continue;
        visited.add(name);
        walk(fragment.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return found;
}

/** Whether the field being resolved selects `child` (in a selection that will run). */
export const selects = (info: GraphQLResolveInfo, child: string): boolean => childArguments(info, child).length > 0;

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
