import { maybeCacheControlFromInfo } from "@apollo/cache-control-types";
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

/**
 * Enforces the contract's `@access` rules on every `@Authorized` field. A denied field
 * resolves to null with UNAUTHENTICATED (no valid token) or FORBIDDEN at its path.
 */
export const authChecker: AuthCheckerFn<Context, AccessRule> = ({ root, args, context, info }, rules) => {
  maybeCacheControlFromInfo(info)?.setCacheHint({ scope: "PRIVATE" }); // who may see it depends on who asks
  const field = `${info.parentType.name}.${info.fieldName}`;
  const viewer = context.viewer;
  if (!viewer) throw new UnauthenticatedError(`${field} requires a signed-in user: send Authorization: Bearer <token>`);
  if (rules.length === 0) return true;
  if (rules.includes(Access.Admin) && viewer.role === "admin") return true;
  if (rules.includes(Access.Self) && OWNER[info.parentType.name]?.(root, args) === viewer.id) return true;
  throw new ForbiddenError(`${field} is visible only to ${describe(rules)}`);
};
