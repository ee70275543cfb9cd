import { Directive, Field, ID, ObjectType } from "type-graphql";
import { CacheHint } from "../shared/cache-control";

/**
 * A catalog product. Fields served by other services (stock, reviews, rating, category)
 * are resolved in ProductResolver and are nullable where that service may be down.
 */
@Directive(CacheHint.inherit)
@ObjectType()
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  imageUrl!: string | null;
}
