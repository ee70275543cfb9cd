import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { resolvers } from "../resolvers";
import { authChecker } from "./auth/auth-checker";

/** The executable schema, code-first from type-graphql. Built once per process. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, authChecker, validate: false, emitSchemaFile: false });
}

/** The SDL checked in as schema/schema.graphql (sorted, so that diffs show only real changes). */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
