import type { GraphQLField, GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { upstreamDeclarations, type UpstreamDeclaration } from "../../resolvers/shared/upstream-field";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- resolver classes
type ResolverClass = Function;

/** A resolver method of the built schema, with the GraphQL field it resolves. */
interface ResolverMethod {
  readonly coordinate: string;
  readonly resolver: ResolverClass;
  readonly method: string;
  readonly field: GraphQLField<unknown, unknown> | undefined;
}

function resolverMethods(schema: GraphQLSchema, resolvers: readonly ResolverClass[]): ResolverMethod[] {
  const storage = getMetadataStorage();
  const ours = new Set(resolvers);
  const nameOf = (cls: unknown): string | undefined => storage.objectTypes.find((t) => t.target === cls)?.name;
  const methods = [
    ...storage.queries.map((m) => ({ ...m, typeName: schema.getQueryType()?.name })),
    ...storage.mutations.map((m) => ({ ...m, typeName: schema.getMutationType()?.name })),
    ...storage.fieldResolvers.map((m) => ({ ...m, typeName: nameOf(m.getObjectType?.()) })),
  ];
  return methods
    .filter((m) => ours.has(m.target))
    .map((m) => {
      const type = m.typeName === undefined ? undefined : schema.getType(m.typeName);
      const field = type && "getFields" in type ? type.getFields()[m.schemaName] : undefined;
      return {
        coordinate: `${m.typeName ?? "?"}.${m.schemaName}`,
        resolver: m.target,
        method: m.methodName,
        field: field as GraphQLField<unknown, unknown> | undefined,
      };
    });
}

const CALLS_UPSTREAM = /\b(dataSources|compensationSources|checkouts)\b/;
const SERVICE_CALL = /\bdataSources\.(\w+)|\b(checkouts)\.\w+/g;

/** The upstreams a method's code touches, by name (`dataSources.catalog` -> "catalog"). */
function touched(source: string): Set<string> {
  return new Set([...source.matchAll(SERVICE_CALL)].map((m) => m[1] ?? m[2] ?? ""));
}

const DECORATORS = "UpstreamQuery/UpstreamField/UpstreamMutation";

/**
 * Every way the resolvers' upstream-backed fields break the rule "declared whole" (empty when
 * none): a method whose code reads a datasource (or the checkout journal) without one of the
 * declarations; a declaration that leaves out a service its code calls; a declared field whose
 * cost or cache hint is not in the built schema (where the cost model and the cache policy
 * read them); a resolver method that states a cost by hand.
 */
export function upstreamFieldProblems(schema: GraphQLSchema, resolvers: readonly ResolverClass[]): string[] {
  const problems: string[] = [];
  const declared = new Map<ResolverClass, Map<string, UpstreamDeclaration>>();
  for (const d of upstreamDeclarations()) {
    const methods = declared.get(d.resolver) ?? new Map<string, UpstreamDeclaration>();
    declared.set(d.resolver, methods.set(d.method, d));
  }
  for (const { coordinate, resolver, method, field } of resolverMethods(schema, resolvers)) {
    const problem = (text: string): void => void problems.push(`${coordinate} ${text}`);
    const source = String((resolver.prototype as Record<string, unknown>)[method]);
    const declaration = declared.get(resolver)?.get(method);
    const cost = field?.extensions.complexity;
    if (!declaration) {
      if (CALLS_UPSTREAM.test(source)) {
        problem(`reads upstreams but is not declared with ${DECORATORS}`);
      } else if (cost !== undefined) {
        problem(`states its cost by hand: declare it with ${DECORATORS}`);
      }
      continue;
    }
    for (const service of touched(source)) {
      const listed: readonly string[] = declaration.services;
      if (!listed.includes(service)) problem(`calls ${service} but declares ${listed.join(", ")}`);
    }
    if (!field) {
      problem("is declared but not in the schema");
      continue;
    }
    if (cost === undefined || cost !== declaration.cost) problem("has no cost in the schema");
    const directives = field.astNode?.directives ?? [];
    const hinted = directives.some((d) => d.name.value === "cacheControl");
    const wantsHint = declaration.kind !== "mutation" && declaration.cache !== "none";
    if (wantsHint && !hinted) problem("has no cache hint in the schema");
    if (declaration.cache === "none" && hinted) problem("declares no cache hint but has one");
  }
  return problems;
}
