import { ArgsType, Field, Int, type ClassType } from "type-graphql";

/** What a connection field reads of its arguments: `first` (defaulted) and `after`. */
export interface PageArgsModel {
  readonly first: number;
  /** `pageInfo.endCursor` of the page before; absent (or null) for the first page. */
  readonly after?: string | null;
}

/**
 * The paging arguments of a connection field, `(first: Int = <defaultFirst>, after: String)`,
 * as a type-graphql `@ArgsType` (use with `@Args(() => …)`; combine with `@Arg` for filters).
 * Bounds of `first` are checked before execution, with the cost (src/limits/query-cost.ts).
 * One class per default, made at module load; `defaultFirst` is what the cost model must assume.
 */
export function PageArgs(defaultFirst: number): ClassType<PageArgsModel> & { readonly defaultFirst: number } {
  @ArgsType()
  class PageArgsType implements PageArgsModel {
    static readonly defaultFirst = defaultFirst;

    // `after` first: introspection lists the arguments in the order they had with @Arg.
    @Field(() => String, { nullable: true })
    after?: string | null;

    @Field(() => Int, { nullable: true, defaultValue: defaultFirst })
    first!: number;
  }
  return PageArgsType;
}
