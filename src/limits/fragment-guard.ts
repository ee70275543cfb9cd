import {
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

/**
 * Whether a document's fragments can be walked by rules that follow spreads (depth, aliases,
 * directives, cost): every spread names a defined fragment and no chain of spreads loops back.
 * Decided once per parsed document, without recursion (an explicit stack), so that no document
 * can exhaust the call stack here. The spec's own rules (NoFragmentCycles, KnownFragmentNames)
 * report what is wrong; this only says whether the other rules may run.
 */
export function fragmentsAreWalkable(document: DocumentNode): boolean {
  let known = verdicts.get(document);
  if (known === undefined) {
    known = decide(document);
    verdicts.set(document, known);
  }
  return known;
}

const verdicts = new WeakMap<DocumentNode, boolean>();

function decide(document: DocumentNode): boolean {
  const spreads = new Map<string, string[]>(); // fragment -> the fragments it spreads
  const roots: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      if (spreads.has(definition.name.value)) return false; // two fragments of one name (UniqueFragmentNames reports it)
      spreads.set(definition.name.value, spreadsIn(definition.selectionSet));
    } else if (definition.kind === Kind.OPERATION_DEFINITION) {
      roots.push(...spreadsIn(definition.selectionSet));
    }
  }
  for (const name of roots) if (!spreads.has(name)) return false;
  for (const targets of spreads.values()) for (const name of targets) if (!spreads.has(name)) return false;

  // Depth-first search with colours on an explicit stack: a grey fragment met again is a cycle.
  const colour = new Map<string, "grey" | "black">();
  for (const start of spreads.keys()) {
    if (colour.has(start)) continue;
    const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    colour.set(start, "grey");
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const targets = spreads.get(top.name) as string[];
      if (top.next === targets.length) {
        colour.set(top.name, "black");
        stack.pop();
        continue;
      }
      const target = targets[top.next++] as string;
      const seen = colour.get(target);
      if (seen === "grey") return false;
      if (seen === undefined) {
        colour.set(target, "grey");
        stack.push({ name: target, next: 0 });
      }
    }
  }
  return true;
}

/** The names of the fragments spread anywhere in a selection set (inline fragments included), without recursion. */
function spreadsIn(root: SelectionSetNode): string[] {
  const names: string[] = [];
  const pending: SelectionSetNode[] = [root];
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) names.push(selection.name.value);
      else if (selection.selectionSet) pending.push(selection.selectionSet);
    }
  }
  return names;
}

/**
 * A rule that runs only on documents whose fragments can be walked; on the others it does
 * nothing, and the spec's rules refuse the document (400 GRAPHQL_VALIDATION_FAILED). Wrap
 * every custom rule that follows fragment spreads: several walk the document as soon as they
 * are created, before any visitor of the spec's rules has run, so ordering alone cannot help.
 */
export function guarded(rule: ValidationRule): ValidationRule {
  return (context: ValidationContext): ASTVisitor => (fragmentsAreWalkable(context.getDocument()) ? rule(context) : {});
}
