import { isObjectType, type GraphQLSchema } from "graphql";
import { Access } from "../../schema/shared/access";
import { isSelfRule } from "./auth-checker";

/**
 * What is wrong with the access rules of the built schema (empty when nothing): a rule that is
 * neither admins nor a self rule, a self rule that names no owner, an argument the field does not
 * have, or a parent property on a root field (which has no parent object). Checked once, when the
 * schema is built, so that a field whose owner is not declared stops the start instead of being
 * guessed (the checker would deny it anyway).
 */
export function accessRuleProblems(schema: GraphQLSchema, rules: ReadonlyMap<string, readonly unknown[]>): string[] {
  const problems: string[] = [];
  const roots = new Set<unknown>([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  for (const [coordinate, fieldRules] of rules) {
    const [typeName = "", fieldName = ""] = coordinate.split(".");
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!type || !field) continue; // a type the schema does not reach
    const problem = (text: string): void => void problems.push(`${coordinate}: ${text}`);
    for (const rule of fieldRules) {
      if (rule === Access.Admin) continue;
      if (!isSelfRule(rule)) {
        problem(`unknown access rule ${JSON.stringify(rule)} (use Access.Admin or Access.self)`);
        continue;
      }
      const owner: unknown = rule.self;
      const isObject = typeof owner === "object" && owner !== null;
      if (isObject && "argument" in owner) {
        const name = JSON.stringify(owner.argument);
        if (!field.args.some((arg) => arg.name === owner.argument)) {
          problem(`the self rule reads argument ${name}, which the field does not have`);
        }
      } else if (isObject && "parent" in owner && typeof owner.parent === "string") {
        const name = JSON.stringify(owner.parent);
        if (roots.has(type)) problem(`a root field has no parent to read ${name} from`);
      } else {
        problem("the self rule does not say where the owner is ({ argument } or { parent })");
      }
    }
  }
  return problems;
}
