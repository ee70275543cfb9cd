import type { AuthCheckerFn } from "type-graphql";
import { Access, type AccessRule, type OwnerRule, type SelfRule } from "../../schema/shared/access";
import type { Context } from "../context";
import { ForbiddenError, UnauthenticatedError } from "../errors/bff-errors";

export const isSelfRule = (rule: unknown): rule is SelfRule =>
  typeof rule === "object" && rule !== null && "self" in rule;

/**
 * The id of the user who owns what a field shows, read where the field's self rule says
 * (schema/shared/access.ts): one of its arguments, or a property of its parent. Undefined when
 * the rule names no place, or the place holds no id: the owner is never guessed.
 */
export function ownerOf(
  owner: OwnerRule | undefined,
  root: unknown,
  args: Record<string, unknown>,
): string | undefined {
  let id: unknown;
  if (typeof owner !== "object" || owner === null) return undefined;
  if ("argument" in owner) id = args[owner.argument];
  else if ("parent" in owner && typeof root === "object" && root !== null) {
    id = (root as Record<string, unknown>)[owner.parent];
  }
  return typeof id === "string" && id !== "" ? id : undefined;
}

const describe = (rules: readonly unknown[]): string =>
  rules.map((rule) => (rule === Access.Admin ? "admins" : "its owner")).join(" and ");

/** Counts decisions that looked at the viewer's role (tests assert it is once per field, not per item). */
export const roleChecks = { count: 0 };

/**
 * The part of a decision that depends only on who asks, not on the object: made once per
 * field and request (ctx.authDecisions). `undefined` means "it depends on the object".
 */
function roleDecision(field: string, rules: readonly AccessRule[], context: Context): true | Error | undefined {
  roleChecks.count += 1;
  const viewer = context.viewer;
  if (!viewer)
    return new UnauthenticatedError(`${field} requires a signed-in user: send Authorization: Bearer <token>`);
  if (rules.length === 0) return true;
  if (rules.includes(Access.Admin) && viewer.role === "admin") return true;
  if (rules.some(isSelfRule)) return undefined;
  return new ForbiddenError(`${field} is visible only to ${describe(rules)}`);
}

/**
 * Enforces the contract's `@access` rules on every `@Authorized` field. A denied field
 * resolves to null with UNAUTHENTICATED (no valid token) or FORBIDDEN at its path. The self
 * rule compares the viewer with the owner the field declares (ownerOf); a rule this checker
 * does not know grants nothing. (Responses with such a field are PRIVATE:
 * src/cache/cache-policy.ts decides that from the document.)
 */
export const authChecker: AuthCheckerFn<Context, AccessRule> = ({ root, args, context, info }, rules) => {
  const field = `${info.parentType.name}.${info.fieldName}`;
  let decision = context.authDecisions.get(field);
  if (decision === undefined) {
    const byRole = roleDecision(field, rules, context);
    if (byRole !== undefined) context.authDecisions.set(field, byRole);
    decision = byRole;
  }
  if (decision === true) return true;
  if (decision instanceof Error) throw decision;
  const owner = ownerOf(rules.find(isSelfRule)?.self, root, args);
  if (owner !== undefined && owner === (context.viewer as NonNullable<Context["viewer"]>).id) return true;
  throw new ForbiddenError(`${field} is visible only to ${describe(rules)}`);
};
