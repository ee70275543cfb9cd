import { Authorized, Field, ID, ObjectType } from "type-graphql";
import { Access } from "../shared/access";

/** A user account. Personal fields are for the user and admins: anyone else gets null and FORBIDDEN. */
@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Authorized(Access.self({ parent: "id" }), Access.Admin)
  @Field(() => String, { nullable: true })
  email!: string | null;
  // role, orders: resolved in UserResolver, with the same access rule
}
