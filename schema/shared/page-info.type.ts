import { Directive, Field, ObjectType } from "type-graphql";
import { CacheHint } from "./cache-control";

@Directive(CacheHint.inherit)
@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: "Pass as `after` to get the next page; null on the last page." })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}
