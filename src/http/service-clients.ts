import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import axios, { type AxiosInstance } from "axios";
import { SERVICE_NAMES, type ServiceName } from "../services";

export interface ServiceEndpoint {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
}

/**
 * One axios instance per upstream, for the life of the process: keep-alive agents
 * (connections are reused across requests), the service's key, and a timeout per call.
 */
export function createServiceClients(endpoints: Record<ServiceName, ServiceEndpoint>): Record<ServiceName, AxiosInstance> {
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  const clients = {} as Record<ServiceName, AxiosInstance>;
  for (const service of SERVICE_NAMES) {
    const { baseUrl, apiKey, timeoutMs } = endpoints[service];
    clients[service] = axios.create({
      baseURL: baseUrl,
      timeout: timeoutMs,
      httpAgent,
      httpsAgent,
      headers: { "X-Api-Key": apiKey, Accept: "application/json" },
      validateStatus: (status) => (status >= 200 && status < 300) || status === 304,
      maxRedirects: 0,
      // Upstream bodies are small JSON documents; anything far larger is a fault, not data.
      maxContentLength: 20 * 1024 * 1024,
    });
  }
  return clients;
}
