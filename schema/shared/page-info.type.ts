import { Field, ObjectType } from "type-graphql";

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: "Pass as `after` to get the next page; null on the last page." })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}
