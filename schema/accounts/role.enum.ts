import { registerEnumType } from "type-graphql";

export enum Role {
  CUSTOMER = "CUSTOMER",
  ADMIN = "ADMIN",
}
registerEnumType(Role, { name: "Role" });
