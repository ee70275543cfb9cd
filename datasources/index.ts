import type { HttpCache, StaleListener } from "../src/cache/http-cache";
import type { ServiceClient } from "../src/http/service-clients";
import { ServiceHttp, type CallerMeta } from "../src/http/service-http";
import type { ServiceName } from "../src/services";
import { AccountsApi } from "./accounts/accounts.api";
import type { AccountsSource } from "./accounts/accounts.model";
import { CatalogApi } from "./catalog/catalog.api";
import type { CatalogSource } from "./catalog/catalog.model";
import { InventoryApi } from "./inventory/inventory.api";
import type { InventorySource } from "./inventory/inventory.model";
import { OrdersApi } from "./orders/orders.api";
import type { OrdersSource } from "./orders/orders.model";
import { PaymentsApi } from "./payments/payments.api";
import type { PaymentsSource } from "./payments/payments.model";
import { ReviewsApi } from "./reviews/reviews.api";
import type { ReviewsSource } from "./reviews/reviews.model";

/** Every upstream, as the resolvers of one request see it. */
export interface DataSources {
  readonly catalog: CatalogSource;
  readonly inventory: InventorySource;
  readonly reviews: ReviewsSource;
  readonly accounts: AccountsSource;
  readonly orders: OrdersSource;
  readonly payments: PaymentsSource;
}

/** Process-lifetime pieces the per-request datasources are built from. */
export interface DataSourceDeps {
  readonly clients: Record<ServiceName, ServiceClient>;
  readonly cache: HttpCache;
  readonly fanOutConcurrency: number;
}

/** Called once per client request: every DataLoader lives in these objects and dies with the request. */
export function createDataSources(deps: DataSourceDeps, caller: CallerMeta, onStale: StaleListener): DataSources {
  const source = (service: ServiceName) => ({
    http: new ServiceHttp(deps.clients[service], caller),
    cache: deps.cache,
    fanOutConcurrency: deps.fanOutConcurrency,
    onStale,
  });
  return {
    catalog: new CatalogApi(source("catalog")),
    inventory: new InventoryApi(source("inventory")),
    reviews: new ReviewsApi(source("reviews")),
    accounts: new AccountsApi(source("accounts")),
    orders: new OrdersApi(source("orders")),
    payments: new PaymentsApi(source("payments")),
  };
}
