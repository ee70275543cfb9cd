import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum UserErrorCode {
  INVALID_INPUT = "INVALID_INPUT",
  OUT_OF_STOCK = "OUT_OF_STOCK",
  PAYMENT_DECLINED = "PAYMENT_DECLINED",
  PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND",
}
registerEnumType(UserErrorCode, { name: "UserErrorCode" });

@ObjectType({ description: "A problem with the caller's input, returned as data (the mutation itself succeeded)." })
export class UserError {
  @Field(() => UserErrorCode)
  code!: UserErrorCode;

  @Field(() => String)
  message!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Path to the input field at fault, e.g. ["items", "0", "quantity"].',
  })
  field!: string[] | null;
}
