import axios from "axios";
import { ServiceCredentials } from "../../../../../src/http/credentials/service-credentials";

const secrets = { rotationWindowMs: 1_000, pollMs: 1_000, tokenRefreshSkewMs: 1_000 };
const handlers = (list: unknown): unknown[] => (list as { handlers: unknown[] }).handlers.filter(Boolean);

describe("ServiceCredentials", () => {
  test("with an API key alone nothing is added to the call path: no interceptor, the same connections, no per-call headers", async () => {
    const instance = axios.create({ headers: { "X-Api-Key": "k" } });
    const tlsChanges: unknown[] = [];
    const credentials = new ServiceCredentials("catalog", { apiKey: { value: "k" }, tls: null, oauth: null }, secrets);
    credentials.attachToAxios(instance, { useTls: (tls) => tlsChanges.push(tls) });
    expect(handlers(instance.interceptors.request)).toHaveLength(0);
    expect(handlers(instance.interceptors.response)).toHaveLength(0);
    expect(tlsChanges).toEqual([]);
    expect(credentials.dynamic).toBe(false);
    expect(await credentials.headers()).toEqual({});
    expect(credentials.tlsOptions()).toBeNull();
  });

  test("client credentials add one request interceptor (the bearer token) and one response interceptor (drop it on 401)", () => {
    const instance = axios.create();
    const credentials = new ServiceCredentials(
      "orders",
      {
        apiKey: { value: "k" },
        tls: null,
        oauth: { tokenUrl: "http://127.0.0.1:1/token", clientId: "bff", clientSecret: { value: "s" }, scope: null },
      },
      secrets,
    );
    credentials.attachToAxios(instance, { useTls: () => undefined });
    expect(credentials.dynamic).toBe(true);
    expect(handlers(instance.interceptors.request)).toHaveLength(1);
    expect(handlers(instance.interceptors.response)).toHaveLength(1);
  });
});
