import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
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
import { createTokenIssuer, type TokenIssuer } from "./token-server";
import { WebhookSender, type WebhookTarget } from "./webhooks";

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
  /** Keep every call for assertions (the default); off, only counts and traced calls are kept. */
  recordCalls?: boolean;
  /** The services' clock (reservation expiry, timestamps); tests pass a fake one. */
  now?: () => number;
  /** Mutual TLS: HTTPS with this key and certificate, and only clients with a certificate `ca` signed are served. */
  tls?: { key: string; cert: string; ca: string };
  /** OAuth 2.0 client credentials: a token endpoint is started, and every service requires its bearer tokens. */
  oauth?: { clients: Map<string, string>; ttlSeconds: number };
  /** Where payments sends its webhooks (`<BFF>/webhooks/payments`) and the secret it signs with; none: no webhooks. */
  webhooks?: WebhookTarget;
}

/** The running demo services: their URLs, their controls, their data. */
export interface Upstreams {
  readonly urls: Record<ServiceName, string>;
  readonly services: Record<ServiceName, ServiceControl>;
  readonly data: SeedData;
  readonly inventory: InventoryState;
  /** With `oauth`: the token endpoint's URL and the issuer (token counts, faults). */
  readonly tokenUrl: string | null;
  readonly tokens: TokenIssuer | null;
  /** Payments' webhook sender: its deliveries, `idle()`, and `setTarget` for a BFF that listens later. */
  readonly webhooks: WebhookSender;
  /** Signed change notifications of catalog, inventory and reviews (cache invalidation): deliveries, `idle()`. */
  readonly events: Record<EventSource, WebhookSender>;
  /** Starts sending them to `<bffUrl>/webhooks/<service>`, signed with each service's secret (none: that service sends nothing). */
  sendEventsTo(bffUrl: string, secretFor: (service: ServiceName) => string | undefined): void;
  /** Upstream calls recorded since the last reset, per service. */
  callCounts(): Record<ServiceName, number>;
  reset(): void;
  close(): Promise<void>;
}

/** The demo services that notify the BFF of changes to data it caches. */
const EVENT_SOURCES = ["catalog", "inventory", "reviews"] as const;
type EventSource = (typeof EVENT_SOURCES)[number];

export async function startUpstreams(options: UpstreamOptions): Promise<Upstreams> {
  const now = options.now ?? Date.now;
  const data = seed(options.sizes);
  const inventory = new InventoryState(data, now);
  const webhooks = new WebhookSender(options.webhooks ?? null);
  const events = { catalog: new WebhookSender(null), inventory: new WebhookSender(null), reviews: new WebhookSender(null) };
  const routes: Record<ServiceName, (app: Express) => void> = {
    catalog: catalogRoutes(data, (type, body) => events.catalog.send(type, body)),
    inventory: inventoryRoutes(data, inventory, now, (type, body) => events.inventory.send(type, body)),
    reviews: reviewsRoutes(data, now, (type, body) => events.reviews.send(type, body)),
    accounts: accountsRoutes(data),
    orders: ordersRoutes(data, now),
    payments: paymentsRoutes(data, now, webhooks),
  };
  const services = {} as Record<ServiceName, ServiceControl>;
  const urls = {} as Record<ServiceName, string>;
  const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];
  const host = options.host ?? "127.0.0.1";
  const listen = async (server: Server, port: number, tls = options.tls !== undefined): Promise<string> => {
    server.keepAliveTimeout = 30_000;
    const sockets = new Set<Socket>();
    server.on(tls ? "secureConnection" : "connection", (socket: Socket) => { sockets.add(socket); socket.on("close", () => sockets.delete(socket)); });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    servers.push({ server, sockets });
    return `${tls ? "https" : "http"}://${host}:${(server.address() as AddressInfo).port}`;
  };
  const serve = (app: Express): Server => options.tls
    ? createHttpsServer({ ...options.tls, requestCert: true, rejectUnauthorized: true }, app)
    : createServer(app);

  const tokens = options.oauth ? createTokenIssuer({ ...options.oauth, now }) : null;
  // The token endpoint itself is plain HTTP on loopback (client authentication is its secret).
  const tokenUrl = tokens ? `${await listen(createServer(tokens.app()), 0, false)}/oauth/token` : null;
  for (const name of SERVICE_NAMES) {
    const control = createControl(name);
    control.setFaults({ latencyMs: options.latencyMs ?? 0 });
    control.record = options.recordCalls ?? true;
    services[name] = control;
    urls[name] = await listen(serve(createServiceApp(control, options.apiKeys[name], routes[name], tokens?.valid)), options.ports?.[name] ?? 0);
  }

  return {
    urls, services, data, inventory, tokenUrl, tokens, webhooks, events,
    sendEventsTo: (bffUrl, secretFor) => {
      for (const service of EVENT_SOURCES) {
        const secret = secretFor(service);
        if (secret) events[service].setTarget({ url: `${bffUrl}/webhooks/${service}`, secret });
      }
    },
    callCounts: () => Object.fromEntries(SERVICE_NAMES.map((n) => [n, services[n].callCount])) as Record<ServiceName, number>,
    reset: () => SERVICE_NAMES.forEach((n) => services[n].reset()),
    close: async () => {
      await Promise.all(servers.map(({ server, sockets }) => new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy()); // includes hung requests
      })));
    },
  };
}
