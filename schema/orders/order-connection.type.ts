import { Connection } from "../shared/connection.type";
import { Order } from "./order.type";

export const OrderConnection = Connection(Order, { name: "OrderConnection" });
export type OrderConnection = InstanceType<typeof OrderConnection>;
