import type { ComplexityEstimator } from "graphql-query-complexity";
import { Directive, FieldResolver, Mutation, Query } from "type-graphql";
import { CacheHint } from "../../schema/shared/cache-control";
import type { Context } from "../../src/context";

/** type-graphql's own parameter types (its index does not export them). */
type ReturnTypeFunc = NonNullable<Parameters<typeof FieldResolver>[0]>;
type AdvancedOptions = NonNullable<Parameters<typeof FieldResolver>[1]>;

/** What a resolver may read through its context: a datasource, or the checkout journal. */
export type UpstreamSource = keyof Context["dataSources"] | "checkouts";

/**
 * A field's cache hint, by name (schema/shared/cache-control.ts). `"none"` says, on purpose,
 * that the field has no hint: an object field then has max-age 0, so a response that selects
 * it is not cached (personal data, or data of a no-store service such as orders).
 */
export type CacheChoice = keyof typeof CacheHint | "none";

interface Declared {
  /** The upstream(s) the resolver calls: every `ctx.dataSources.<name>` it touches. */
  readonly service: UpstreamSource | readonly UpstreamSource[];
  /** Its price in the query cost model (schema/shared/cost.ts): a number or an estimator. */
  readonly cost: number | ComplexityEstimator;
}

/** Options of a query or object field read from upstreams: type-graphql's, plus the three. */
export type UpstreamFieldOptions = Omit<AdvancedOptions, "complexity"> &
  Declared & {
    readonly cache: CacheChoice;
  };

/** Options of a mutation: nothing of a mutation is cached, so it has no cache hint. */
export type UpstreamMutationOptions = Omit<AdvancedOptions, "complexity"> & Declared;

/** One declaration, as recorded at class definition (read by tests; never per request). */
export interface UpstreamDeclaration {
  readonly kind: "query" | "field" | "mutation";
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a resolver class
  readonly resolver: Function;
  readonly method: string;
  readonly services: readonly UpstreamSource[];
  readonly cost: number | ComplexityEstimator;
  /** null for mutations. */
  readonly cache: CacheChoice | null;
}

const declarations: UpstreamDeclaration[] = [];

/** Every declaration made so far, in the order the resolver modules were loaded. */
export const upstreamDeclarations = (): readonly UpstreamDeclaration[] => declarations;

type Kind = UpstreamDeclaration["kind"];
type Make = (returns: ReturnTypeFunc, options: AdvancedOptions) => MethodDecorator;
const MAKERS: Record<Kind, Make> = { query: Query, field: FieldResolver, mutation: Mutation };

/**
 * The type-graphql decorators the declaration stands for, applied once, when the class is
 * defined: nothing of it runs per request. The cost goes where graphql-query-complexity reads it
 * (`complexity`, read by src/limits/query-cost.ts), the hint where the cache policy reads it
 * (`@cacheControl` in the schema, read by src/cache/cache-policy.ts).
 */
function declare(
  kind: Kind,
  returns: ReturnTypeFunc,
  options: UpstreamFieldOptions | UpstreamMutationOptions,
): MethodDecorator {
  const { service, cost, ...rest } = options;
  let cache: CacheChoice | null = null;
  let typeGraphql: AdvancedOptions = rest;
  if ("cache" in rest) ({ cache, ...typeGraphql } = rest);
  const field = MAKERS[kind](returns, { ...typeGraphql, complexity: cost });
  const hint = cache === null || cache === "none" ? null : Directive(CacheHint[cache]);
  const services = typeof service === "string" ? [service] : [...service];
  if (services.length === 0) {
    throw new TypeError("An upstream-backed field names at least one service");
  }
  return (prototype, key, descriptor) => {
    if (typeof key !== "string") throw new TypeError("Upstream-backed fields have string names");
    field(prototype, key, descriptor);
    hint?.(prototype, key, descriptor);
    const resolver = prototype.constructor;
    declarations.push({ kind, resolver, method: key, services, cost, cache });
  };
}

/**
 * A root query field read from upstreams, declared whole: its GraphQL type and type-graphql
 * options, the services it calls, its cost and its cache hint. Stands for
 * `@Query(returns, { ...options, complexity: cost })` plus `@Directive(CacheHint[cache])`.
 */
export const UpstreamQuery = (returns: ReturnTypeFunc, options: UpstreamFieldOptions): MethodDecorator =>
  declare("query", returns, options);

/** An object field whose resolver calls upstreams (`@FieldResolver`), declared the same way. */
export const UpstreamField = (returns: ReturnTypeFunc, options: UpstreamFieldOptions): MethodDecorator =>
  declare("field", returns, options);

/** A mutation that writes to upstreams: its type, services and cost (no cache hint). */
export const UpstreamMutation = (returns: ReturnTypeFunc, options: UpstreamMutationOptions): MethodDecorator =>
  declare("mutation", returns, options);
