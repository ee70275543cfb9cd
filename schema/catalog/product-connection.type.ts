import { Connection } from "../shared/connection.type";
import { Product } from "./product.type";

export const ProductConnection = Connection(Product, {
  name: "ProductConnection",
  totalCount: "Products matching the filters, over all pages.",
});
export type ProductConnection = InstanceType<typeof ProductConnection>;
