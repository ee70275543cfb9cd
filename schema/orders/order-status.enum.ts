import { registerEnumType } from "type-graphql";

export enum OrderStatus {
  PENDING = "PENDING",
  PAID = "PAID",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
  SHIPPED = "SHIPPED",
}
registerEnumType(OrderStatus, { name: "OrderStatus" });
