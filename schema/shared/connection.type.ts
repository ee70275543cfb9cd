import { Directive, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { CacheHint } from "./cache-control";
import { PageInfo } from "./page-info.type";

/** A page of a list, as resolvers return it: `nodes` are the models of one item each. */
export interface ConnectionModel<TNode> {
  readonly nodes: readonly TNode[];
  readonly pageInfo: PageInfo;
}

/** A page of a list that also says how many items all pages hold. */
export interface CountedConnectionModel<TNode> extends ConnectionModel<TNode> {
  readonly totalCount: number;
}

interface ConnectionOptions {
  /** The GraphQL type's name, e.g. "ProductConnection". */
  readonly name: string;
  /** With a description, the type has `totalCount: Int!` so described. */
  readonly totalCount?: string;
}

/**
 * The GraphQL type of one page of `Item`s: `{ nodes: [Item!]!, pageInfo: PageInfo! }`, plus
 * `totalCount: Int!` when its description is given. As cacheable as the field that returned it
 * (`inheritMaxAge`), like every connection. Called once per type, at module load:
 *
 *     export const OrderConnection = Connection(Order, { name: "OrderConnection" });
 *     export type OrderConnection = InstanceType<typeof OrderConnection>;
 */
export function Connection<TItem extends object>(
  Item: ClassType<TItem>,
  options: ConnectionOptions & { readonly totalCount: string },
): ClassType<CountedConnectionModel<TItem>>;
export function Connection<TItem extends object>(
  Item: ClassType<TItem>,
  options: ConnectionOptions,
): ClassType<ConnectionModel<TItem>>;
export function Connection<TItem extends object>(
  Item: ClassType<TItem>,
  options: ConnectionOptions,
): ClassType<ConnectionModel<TItem>> {
  @Directive(CacheHint.inherit)
  @ObjectType(options.name)
  class ConnectionType implements ConnectionModel<TItem> {
    @Field(() => [Item])
    nodes!: TItem[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  if (options.totalCount !== undefined) {
    Field(() => Int, { description: options.totalCount })(ConnectionType.prototype, "totalCount");
  }
  return ConnectionType;
}
