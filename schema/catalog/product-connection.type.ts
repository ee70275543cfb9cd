import { Directive, Field, Int, ObjectType } from "type-graphql";
import { PageInfo } from "../shared/page-info.type";
import { Product } from "./product.type";
import { CacheHint } from "../shared/cache-control";

@Directive(CacheHint.inherit)
@ObjectType()
export class ProductConnection {
  @Field(() => [Product])
  nodes!: Product[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: "Products matching the filters, over all pages." })
  totalCount!: number;
}
