import { GraphQLScalarType, Kind } from "graphql";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parse(value: unknown): string {
  if (typeof value !== "string" || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) {
    throw new TypeError(`DateTime must be an ISO-8601 string in UTC, e.g. "2026-11-20T10:15:00.000Z"`);
  }
  return new Date(value).toISOString();
}

/** The contract's `scalar DateTime`: ISO-8601 in UTC with milliseconds, e.g. "2026-11-20T10:15:00.000Z". */
export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  description: 'ISO-8601 string in UTC, e.g. "2026-11-20T10:15:00.000Z"',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parse(value)),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError("DateTime must be a string");
    return parse(ast.value);
  },
});
