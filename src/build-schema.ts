import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, specifiedDirectives, type GraphQLSchema } from "graphql";
import { buildSchema, getMetadataStorage } from "type-graphql";
import { resolvers } from "../resolvers";
import { cacheControlDirective } from "../schema/shared/cache-control";
import { accessRuleProblems } from "./auth/access-rules";
import { authChecker } from "./auth/auth-checker";
import { callResolversDirectly } from "./direct-resolvers";

/** The executable schema, code-first from type-graphql. Built once per process. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  readPlainFieldsDirectly();
  const schema = await buildSchema({
    resolvers,
    authChecker,
    validate: false,
    emitSchemaFile: false,
    directives: [...specifiedDirectives, cacheControlDirective],
  });
  const problems = accessRuleProblems(schema, accessRules());
  if (problems.length > 0)
    throw new Error(`Access rules the auth checker cannot apply (schema/shared/access.ts):\n${problems.join("\n")}`);
  callResolversDirectly(schema, authChecker);
  return schema;
}

/**
 * type-graphql wraps every plain `@Field` in a resolver of its own (an object and a middleware
 * chain per field and item) unless its type has `simpleResolvers`. A plain field needs that
 * wrapper only to run `@Authorized` or a middleware on it: every type without such a field reads
 * its plain fields directly. (The rest, and `@FieldResolver`s, are then called directly where
 * they can be, their rules checked first: src/direct-resolvers.ts.)
 */
function readPlainFieldsDirectly(): void {
  const storage = getMetadataStorage();
  const guarded = new Set<unknown>([...storage.authorizedFields, ...storage.middlewares].map((rule) => rule.target));
  for (const type of storage.objectTypes) {
    if (type.simpleResolvers === undefined && !guarded.has(type.target)) type.simpleResolvers = true;
  }
}

/** Every field with an access rule, as `Type.field` -> its rules (for decisions made before execution). */
export function accessRules(): ReadonlyMap<string, readonly unknown[]> {
  const storage = getMetadataStorage();
  const rules = new Map<string, readonly unknown[]>();
  for (const type of storage.objectTypes) {
    for (const field of type.fields ?? []) if (field.roles) rules.set(`${type.name}.${field.schemaName}`, field.roles);
  }
  for (const query of storage.queries) if (query.roles) rules.set(`Query.${query.schemaName}`, query.roles);
  for (const mutation of storage.mutations)
    if (mutation.roles) rules.set(`Mutation.${mutation.schemaName}`, mutation.roles);
  return rules;
}

/** The SDL checked in as schema/schema.graphql: sorted, so diffs show only real changes, and with cache hints. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema))}\n`;
}
