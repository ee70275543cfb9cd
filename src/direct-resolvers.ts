import { GraphQLObjectType, GraphQLScalarType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import {
  AuthenticationError,
  AuthorizationError,
  getMetadataStorage,
  type AuthCheckerFn,
  type ResolverData,
} from "type-graphql";
import type { Context } from "./context";

type Storage = ReturnType<typeof getMetadataStorage>;
type FieldResolverMetadata = Storage["fieldResolvers"][number];
type ParamMetadata = Storage["params"][number];
type Resolve = GraphQLFieldResolver<unknown, Context>;
type Read = (root: unknown, args: Record<string, unknown>, context: Context, info: Parameters<Resolve>[3]) => unknown;

/** Scalars as type-graphql's `@Arg(() => …)` names them: passed on as graphql-js coerced them. */
const SCALAR_CLASSES = new Set<unknown>([String, Number, Boolean]);

/**
 * type-graphql calls every field resolver through one generic path: per call and per item, an
 * object for the call, a container lookup, the middleware chain, and the parameter list sorted
 * again and mapped; each `@Arg` is validated asynchronously even with validation off (so a field
 * with an argument always answers a promise), and a role rule runs as an async middleware.
 * On a list of 50 products that is most of type-graphql's share of the request.
 *
 * For the field resolvers that need nothing of that (no middleware; parameters that are the parent,
 * the context, the info or scalar arguments), and for the plain fields it wrapped, the schema
 * calls the method (or reads the property) directly, after the auth checker where a rule applies,
 * synchronously, with type-graphql's errors when it refuses. Anything else keeps type-graphql's
 * path. Resolver classes are stateless and made once, as type-graphql's default container makes them.
 * Returns the fields it set (`Type.field`).
 */
export function callResolversDirectly<Rule>(
  schema: GraphQLSchema,
  authChecker: AuthCheckerFn<Context, Rule>,
): string[] {
  const storage = getMetadataStorage();
  const typeName = new Map(storage.objectTypes.map((t) => [t.target, t.name]));
  const instances = new Map<unknown, Record<string, (...params: unknown[]) => unknown>>();
  const direct: string[] = [];
  const fieldOf = (target: unknown, schemaName: string) => {
    const name = typeName.get(target as never);
    const type = name === undefined ? undefined : schema.getType(name);
    return type instanceof GraphQLObjectType
      ? { name: `${type.name}.${schemaName}`, field: type.getFields()[schemaName] }
      : undefined;
  };
  const guard = (resolve: Resolve, roles: readonly unknown[] | undefined): Resolve =>
    roles === undefined
      ? resolve
      : (root, args, context, info) => {
          const granted = authChecker({ root, args, context, info } satisfies ResolverData<Context>, roles as Rule[]);
          const then = (allowed: boolean): unknown => {
            if (!allowed) throw roles.length === 0 ? new AuthenticationError() : new AuthorizationError();
            return resolve(root, args, context, info);
          };
          return typeof granted === "boolean" ? then(granted) : granted.then(then); // ours decides at once
        };

  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== "external" || (resolver.middlewares?.length ?? 0) > 0) continue;
    const target = fieldOf(resolver.getObjectType?.(), resolver.schemaName);
    const reads = target?.field && paramReaders(resolver);
    if (!target?.field || !reads) continue;
    let instance = instances.get(resolver.target);
    if (!instance) instances.set(resolver.target, (instance = new (resolver.target as new () => never)()));
    const method = instance[resolver.methodName] as (...params: unknown[]) => unknown;
    const self = instance;
    const call: Resolve =
      reads.length === 1
        ? (root, args, context, info) => method.call(self, reads[0]!(root, args, context, info))
        : (root, args, context, info) =>
            method.apply(
              self,
              reads.map((read) => read(root, args, context, info)),
            );
    target.field.resolve = guard(call, resolver.roles);
    direct.push(target.name);
  }

  // Plain fields that type-graphql wrapped (a rule on them, or on a sibling): the property, after the rule.
  for (const type of storage.objectTypes) {
    for (const field of type.fields ?? []) {
      if ((field.middlewares?.length ?? 0) > 0) continue;
      if (storage.fieldResolvers.some((r) => r.getObjectType?.() === type.target && r.methodName === field.name))
        continue;
      const target = fieldOf(type.target, field.schemaName);
      if (!target?.field?.resolve) continue; // read directly already (readPlainFieldsDirectly)
      const name = field.name;
      target.field.resolve = guard((root) => (root as Record<string, unknown>)[name], field.roles);
      direct.push(target.name);
    }
  }
  return direct;
}

/** How to read each parameter, in order; undefined when one of them needs type-graphql's own path. */
function paramReaders(resolver: FieldResolverMetadata): Read[] | undefined {
  const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
  if (params.some((p, i) => p.index !== i)) return undefined;
  const readers: Read[] = [];
  for (const param of params) {
    const read = readerOf(param);
    if (!read) return undefined;
    readers.push(read);
  }
  return readers;
}

function readerOf(param: ParamMetadata): Read | undefined {
  switch (param.kind) {
    case "root": {
      if (param.getType) return undefined; // converted to the class by type-graphql
      const property = param.propertyName;
      return property === undefined ? (root) => root : (root) => (root as Record<string, unknown>)[property];
    }
    case "context": {
      const property = param.propertyName;
      return property === undefined
        ? (_root, _args, context) => context
        : (_root, _args, context) => (context as unknown as Record<string, unknown>)[property];
    }
    case "info":
      return (_root, _args, _context, info) => info;
    case "arg": {
      if (param.validateFn || param.validateSettings !== undefined || param.typeOptions.array) return undefined;
      const type = param.getType();
      if (!(type instanceof GraphQLScalarType) && !SCALAR_CLASSES.has(type)) return undefined;
      const name = param.name;
      return (_root, args) => args[name];
    }
    default:
      return undefined;
  }
}
