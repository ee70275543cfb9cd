import axios, { type AxiosInstance } from "axios";
import { SERVICE_NAMES, type ServiceName } from "../services";
import type { ServiceCredentials } from "./credentials/service-credentials";
import { ServicePolicy, type BreakerListener, type ResilienceSettings } from "./resilience";
import { UndiciTransport } from "./undici-transport";

export interface ServiceEndpoint {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly resilience: ResilienceSettings;
  /** Rotating API key, mutual TLS, client credentials (docs/operators/upstreams.md, "Upstream credentials"). */
  readonly credentials?: ServiceCredentials;
}

/** Everything about one upstream that lives as long as the process. */
export interface ServiceClient {
  readonly service: ServiceName;
  /** The service's base URL, without a trailing slash: calls pass absolute URLs (no per-call URL building in axios). */
  readonly baseUrl: string;
  readonly axios: AxiosInstance;
  /** The connection pools under axios (closed on shutdown). */
  readonly transport: UndiciTransport;
  readonly policy: ServicePolicy;
  /** Calls in flight right now (a gauge: after a response, none of its calls may remain). */
  inFlight: number;
  /** Told of every attempt: its outcome (HTTP status, or the failure kind) and duration. */
  readonly observe: (outcome: string, seconds: number) => void;
}

/**
 * One client per upstream, for the life of the process: an axios instance over undici's
 * keep-alive pools (connections are reused across requests; see undici-transport.ts), the
 * service's key and a timeout per call, and the service's resilience policies (shared, so its
 * breaker sees every request).
 */
export function createServiceClients(
  endpoints: Record<ServiceName, ServiceEndpoint>,
  observe: (service: ServiceName, outcome: string, seconds: number) => void = () => undefined,
  onBreaker?: BreakerListener,
): Record<ServiceName, ServiceClient> {
  const clients = {} as Record<ServiceName, ServiceClient>;
  for (const service of SERVICE_NAMES) {
    const { baseUrl, apiKey, timeoutMs, resilience, credentials } = endpoints[service];
    const transport = new UndiciTransport(credentials?.tlsOptions() ?? null);
    const instance = axios.create();
    // The instance's defaults are exactly these (changed in place: the instance's request reads this
    // object). axios merges its defaults into every call's config, key by key (deeply for objects),
    // so the ones our transport never reads are left out: axios's global per-method header groups
    // (common, get, post, …), `transitional` (which axios also validates per call), `env`, the XSRF
    // names and `maxBodyLength` (read by the http and xhr adapters only).
    const defaults = instance.defaults as unknown as Record<string, unknown>;
    for (const key of Object.keys(defaults)) delete defaults[key];
    Object.assign(instance.defaults, {
      timeout: timeoutMs,
      headers: { "X-Api-Key": apiKey, Accept: "application/json" },
      validateStatus: (status: number) => (status >= 200 && status < 300) || status === 304,
      maxRedirects: 0,
      // Upstream bodies are small JSON documents; anything far larger is a fault, not data.
      maxContentLength: 20 * 1024 * 1024,
      adapter: transport.adapter,
      // Bodies are serialised by ServiceHttp; responses are parsed once, here (an error page that is not JSON stays text).
      transformRequest: [(data: unknown) => data],
      transformResponse: [parseJson],
    });
    credentials?.attachToAxios(instance, transport);
    clients[service] = {
      service,
      baseUrl: baseUrl.replace(/\/$/, ""),
      axios: instance,
      transport,
      policy: new ServicePolicy(service, resilience, onBreaker),
      inFlight: 0,
      observe: (outcome, seconds) => observe(service, outcome, seconds),
    };
  }
  return clients;
}

function parseJson(data: unknown): unknown {
  if (typeof data !== "string" || data === "") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
