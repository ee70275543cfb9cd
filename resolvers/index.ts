import type { NonEmptyArray } from "type-graphql";
import { UserResolver } from "./accounts/user.resolver";
import { CategoryResolver } from "./catalog/category.resolver";
import { ProductResolver } from "./catalog/product.resolver";
import { ReviewResolver } from "./catalog/review.resolver";
import { StockResolver } from "./catalog/stock.resolver";
import { CheckoutAuditResolver } from "./checkout/checkout-audit.resolver";
import { CheckoutResolver } from "./checkout/checkout.resolver";
import { OrderItemResolver } from "./orders/order-item.resolver";
import { OrderResolver } from "./orders/order.resolver";
import { PaymentResolver } from "./orders/payment.resolver";
import { MoneyResolver } from "./shared/money.resolver";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's resolver list type
export const resolvers: NonEmptyArray<Function> = [
  ProductResolver,
  CategoryResolver,
  ReviewResolver,
  StockResolver,
  UserResolver,
  OrderResolver,
  OrderItemResolver,
  PaymentResolver,
  CheckoutResolver,
  CheckoutAuditResolver,
  MoneyResolver,
];
