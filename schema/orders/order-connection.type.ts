import { Directive, Field, ObjectType } from "type-graphql";
import { PageInfo } from "../shared/page-info.type";
import { Order } from "./order.type";
import { CacheHint } from "../shared/cache-control";

@Directive(CacheHint.inherit)
@ObjectType()
export class OrderConnection {
  @Field(() => [Order])
  nodes!: Order[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
