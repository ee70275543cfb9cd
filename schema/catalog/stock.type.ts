import { Field, Int, ObjectType } from "type-graphql";

@ObjectType()
export class Stock {
  @Field(() => Int)
  available!: number;

  @Field(() => Boolean)
  inStock!: boolean;
}
