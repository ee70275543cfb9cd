// Wire types of the demo services: the same generated OpenAPI types the datasources use.
import type { components as Catalog } from "../datasources/catalog/catalog.openapi";
import type { components as Inventory } from "../datasources/inventory/inventory.openapi";
import type { components as Reviews } from "../datasources/reviews/reviews.openapi";
import type { components as Accounts } from "../datasources/accounts/accounts.openapi";
import type { components as Orders } from "../datasources/orders/orders.openapi";
import type { components as Payments } from "../datasources/payments/payments.openapi";

export type Product = Catalog["schemas"]["Product"];
export type Category = Catalog["schemas"]["Category"];
export type Reservation = Inventory["schemas"]["Reservation"];
export type Review = Reviews["schemas"]["Review"];
export type User = Accounts["schemas"]["User"];
export type Order = Orders["schemas"]["Order"];
export type OrderStatus = Orders["schemas"]["OrderStatus"];
export type Payment = Payments["schemas"]["Payment"];

/** Inventory keeps on-hand counts; `available` and `reserved` are derived from reservations. */
export interface StockRecord {
  productId: string;
  onHand: number;
  updatedAt: string;
}
