import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Express } from "express";
import { createControl, createServiceApp, type ServiceControl } from "./kit";
import { SERVICE_NAMES, type ServiceName } from "../src/services";
import { seed, type SeedData, type SeedSizes } from "./seed";
import { accountsRoutes } from "./services/accounts";
import { catalogRoutes } from "./services/catalog";
import { InventoryState, inventoryRoutes } from "./services/inventory";
import { ordersRoutes } from "./services/orders";
import { paymentsRoutes } from "./services/payments";
import { reviewsRoutes } from "./services/reviews";

export { SERVICE_NAMES, type ServiceName };

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  catalog: 4001, inventory: 4002, reviews: 4003, accounts: 4004, orders: 4005, payments: 4006,
};

export interface UpstreamOptions {
  /** Port per service; 0 (the default) picks a free one. */
  ports?: Partial<Record<ServiceName, number>>;
  host?: string;
  apiKeys: Record<ServiceName, string>;
  /** Latency added to every response of every service. */
  latencyMs?: number;
  sizes?: SeedSizes;
  /** The services' clock (reservation expiry, timestamps); tests pass a fake one. */
  now?: () => number;
}

/** The running demo services: their URLs, their controls, their data. */
export interface Upstreams {
  readonly urls: Record<ServiceName, string>;
  readonly services: Record<ServiceName, ServiceControl>;
  readonly data: SeedData;
  readonly inventory: InventoryState;
  /** Upstream calls recorded since the last reset, per service. */
  callCounts(): Record<ServiceName, number>;
  reset(): void;
  close(): Promise<void>;
}

export async function startUpstreams(options: UpstreamOptions): Promise<Upstreams> {
  const now = options.now ?? Date.now;
  const data = seed(options.sizes);
  const inventory = new InventoryState(data, now);
  const routes: Record<ServiceName, (app: Express) => void> = {
    catalog: catalogRoutes(data),
    inventory: inventoryRoutes(data, inventory, now),
    reviews: reviewsRoutes(data, now),
    accounts: accountsRoutes(data),
    orders: ordersRoutes(data, now),
    payments: paymentsRoutes(data, now),
  };
  const services = {} as Record<ServiceName, ServiceControl>;
  const urls = {} as Record<ServiceName, string>;
  const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];
  const host = options.host ?? "127.0.0.1";

  for (const name of SERVICE_NAMES) {
    const control = createControl(name);
    control.setFaults({ latencyMs: options.latencyMs ?? 0 });
    services[name] = control;
    const server = createServer(createServiceApp(control, options.apiKeys[name], routes[name]));
    server.keepAliveTimeout = 30_000;
    const sockets = new Set<Socket>();
    server.on("connection", (socket) => { sockets.add(socket); socket.on("close", () => sockets.delete(socket)); });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.ports?.[name] ?? 0, host, resolve);
    });
    servers.push({ server, sockets });
    urls[name] = `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  return {
    urls, services, data, inventory,
    callCounts: () => Object.fromEntries(SERVICE_NAMES.map((n) => [n, services[n].calls.length])) as Record<ServiceName, number>,
    reset: () => SERVICE_NAMES.forEach((n) => services[n].reset()),
    close: async () => {
      await Promise.all(servers.map(({ server, sockets }) => new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy()); // includes hung requests
      })));
    },
  };
}
