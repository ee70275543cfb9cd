import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Express } from "express";
import { createServiceApp } from "./service-app";
import { createControl, type ServiceControl } from "./service-control";
import {
  DEMO_PORTS,
  INVALIDATING_SERVICES,
  SERVICE_NAMES,
  type InvalidatingService,
  type ServiceName,
} from "../src/services";
import { seed, type SeedData, type SeedSizes } from "./seed";
import { DEMO_SERVICES } from "./services";
import { InventoryState } from "./services/inventory";
import { createTokenIssuer, type TokenIssuer } from "./token-server";
import { WebhookSender, type WebhookTarget } from "./webhooks";

export { SERVICE_NAMES, type ServiceName };

/** Each service's port in `npm run upstreams` and the in-process demo (services.json). */
export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = DEMO_PORTS;

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
  /** Change notifications of the invalidating services (cache invalidation): deliveries, `idle()`. */
  readonly events: Record<InvalidatingService, WebhookSender>;
  /** Starts sending them to `<bffUrl>/webhooks/<service>`, signed with each service's secret (none: that service sends nothing). */
  sendEventsTo(bffUrl: string, secretFor: (service: ServiceName) => string | undefined): void;
  /** Upstream calls recorded since the last reset, per service. */
  callCounts(): Record<ServiceName, number>;
  reset(): void;
  close(): Promise<void>;
}

export async function startUpstreams(options: UpstreamOptions): Promise<Upstreams> {
  const now = options.now ?? Date.now;
  const data = seed(options.sizes);
  const inventory = new InventoryState(data, now);
  // One sender per service: payments' reports checkout outcomes, the invalidating services' drop
  // cached entries; the others have nothing to send.
  const senders = Object.fromEntries(SERVICE_NAMES.map((name) => [name, new WebhookSender(null)]));
  const sender = (name: ServiceName): WebhookSender => senders[name] as WebhookSender;
  const webhooks = sender("payments");
  webhooks.setTarget(options.webhooks ?? null);
  const events = Object.fromEntries(INVALIDATING_SERVICES.map((name) => [name, sender(name)])) as Record<
    InvalidatingService,
    WebhookSender
  >;
  const services = {} as Record<ServiceName, ServiceControl>;
  const urls = {} as Record<ServiceName, string>;
  const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];
  const host = options.host ?? "127.0.0.1";
  const listen = async (server: Server, port: number, tls = options.tls !== undefined): Promise<string> => {
    server.keepAliveTimeout = 30_000;
    const sockets = new Set<Socket>();
    server.on(tls ? "secureConnection" : "connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    servers.push({ server, sockets });
    return `${tls ? "https" : "http"}://${host}:${(server.address() as AddressInfo).port}`;
  };
  const serve = (app: Express): Server =>
    options.tls
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
    const routes = DEMO_SERVICES[name]({ data, now, inventory, webhooks: sender(name) });
    const app = createServiceApp(control, options.apiKeys[name], routes, tokens?.valid);
    urls[name] = await listen(serve(app), options.ports?.[name] ?? 0);
  }

  return {
    urls,
    services,
    data,
    inventory,
    tokenUrl,
    tokens,
    webhooks,
    events,
    sendEventsTo: (bffUrl, secretFor) => {
      for (const service of INVALIDATING_SERVICES) {
        const secret = secretFor(service);
        if (secret) events[service].setTarget({ url: `${bffUrl}/webhooks/${service}`, secret });
      }
    },
    callCounts: () =>
      Object.fromEntries(SERVICE_NAMES.map((n) => [n, services[n].callCount])) as Record<ServiceName, number>,
    reset: () => SERVICE_NAMES.forEach((n) => services[n].reset()),
    close: async () => {
      await Promise.all(
        servers.map(
          ({ server, sockets }) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              sockets.forEach((s) => s.destroy()); // includes hung requests
            }),
        ),
      );
    },
  };
}
