// The secrets every bench process shares (JWT settings, one API key per service).
import { SERVICE_NAMES, type ServiceName } from "../src/services";

/** Environment shared by every server process: the production settings the bench runs them with. */
export interface BenchSecrets {
  readonly jwtSecret: string;
  readonly issuer: string;
  readonly audience: string;
  readonly apiKeys: Record<ServiceName, string>;
}

export const SECRETS: BenchSecrets = {
  jwtSecret: "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  issuer: "https://auth.bench.local/",
  audience: "storefront-bff-bench",
  apiKeys: Object.fromEntries(SERVICE_NAMES.map((s) => [s, `bench-${s}-key`])) as Record<ServiceName, string>,
};

export const apiKeyEnv = (secrets: BenchSecrets) =>
  Object.fromEntries(SERVICE_NAMES.map((s) => [`${s.toUpperCase()}_API_KEY`, secrets.apiKeys[s]]));
