import { Field, ObjectType } from "type-graphql";
import { UserError } from "../shared/user-error.type";
import { Review } from "./review.type";

@ObjectType()
export class AddReviewPayload {
  @Field(() => Review, { nullable: true })
  review!: Review | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
