import type { AuthCheckerFn } from "type-graphql";
import type { UserModel } from "../../datasources/accounts/accounts.model";
import { Access, type AccessRule } from "../../schema/shared/access";
import type { Context } from "../context";
import { ForbiddenError, UnauthenticatedError } from "../errors/bff-errors";

/** Whose object a field belongs to, per parent type: what the `self` rule compares with the viewer. */
const OWNER: Record<string, (root: unknown, args: Record<string, unknown>) => unknown> = {
  User: (root) => (root as UserModel).id,
  Query: (_root, args) => args.id, // Query.user(id)
};

const describe = (rules: readonly string[]): string =>
  rules.map((rule) => (rule === Access.Self ? "its owner" : "admins")).join(" and ");

/** Counts decisions that looked at the viewer's role (tests assert it is once per field, not per item). */
export const roleChecks = { count: 0 };

/**
 * The part of a decision that depends only on who asks, not on the object: made once per
 * field and request (ctx.authDecisions). `undefined` means "it depends on the object".
 */
function roleDecision(field: string, rules: readonly AccessRule[], context: Context): true | Error | undefined {
  roleChecks.count += 1;
  const viewer = context.viewer;
  if (!viewer) return new UnauthenticatedError(`${field} requires a signed-in user: send Authorization: Bearer <token>`);
  if (rules.length === 0) return true;
  if (rules.includes(Access.Admin) && viewer.role === "admin") return true;
  if (rules.includes(Access.Self)) return undefined;
  return new ForbiddenError(`${field} is visible only to ${describe(rules)}`);
}

/**
 * Enforces the contract's `@access` rules on every `@Authorized` field. A denied field
 * resolves to null with UNAUTHENTICATED (no valid token) or FORBIDDEN at its path.
 * (Responses with such a field are PRIVATE: src/cache/cache-policy.ts decides that from the document.)
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
  if (OWNER[info.parentType.name]?.(root, args) === (context.viewer as NonNullable<Context["viewer"]>).id) return true;
  throw new ForbiddenError(`${field} is visible only to ${describe(rules)}`);
};
