import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType()
export class RatingSummary {
  @Field(() => Float)
  average!: number;

  @Field(() => Int)
  count!: number;
}
