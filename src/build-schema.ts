import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, specifiedDirectives, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { resolvers } from "../resolvers";
import { cacheControlDirective } from "../schema/shared/cache-control";
import { authChecker } from "./auth/auth-checker";

/** The executable schema, code-first from type-graphql. Built once per process. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, authChecker, validate: false, emitSchemaFile: false, directives: [...specifiedDirectives, cacheControlDirective] });
}

/** The SDL checked in as schema/schema.graphql: sorted, so diffs show only real changes, and with cache hints. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema))}\n`;
}
