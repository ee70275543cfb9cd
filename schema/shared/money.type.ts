import { Directive, Field, Int, ObjectType } from "type-graphql";
import { CacheHint } from "./cache-control";

@Directive(CacheHint.inherit)
@ObjectType({ description: "Money in minor units (cents) of an ISO-4217 currency." })
export class Money {
  @Field(() => Int)
  amount!: number;

  @Field(() => String)
  currency!: string;

  @Field(() => String, { description: 'Formatted for display in the en-US locale, e.g. "$1,234.56".' })
  formatted!: string;
}
