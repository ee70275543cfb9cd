import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeScalar } from "../shared/date-time.scalar";

@ObjectType()
export class Review {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  rating!: number;

  @Field(() => String)
  body!: string;

  @Field(() => DateTimeScalar)
  createdAt!: string;
  // author: resolved in ReviewResolver (nullable: accounts may be down)
}
