// `npm run upstreams`: the six demo services alone, on their default ports (4001..4006).
// Flags: --latency MS, --error-rate 0..1, --mode ok|down|reset|hang, --only PATH_REGEX, --service NAME, --host ADDR,
// --port-base N (services on N..N+5; 0: each on a free port), --products N, --users N (seed sizes; 1,000 and 200),
// --json (print one JSON line `{"urls": {...}}` instead of the table: what the bench reads), --notify BFF_URL (send signed change events there).
// Faults can also be changed while running: curl -X POST localhost:4003/__faults -H 'content-type: application/json' -d '{"mode":"down"}'
// Call counts: curl localhost:4001/__calls (DELETE forgets them).
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config";
import { readSecretFile } from "../src/secrets/secret-source";
import { parseFaults } from "./faults";
import { DEFAULT_PORTS, SERVICE_NAMES, startUpstreams, type ServiceName } from "./start";

function intFlag(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`--${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return value;
}

function portsFrom(base: number): Record<ServiceName, number> {
  if (base === DEFAULT_PORTS.catalog) return DEFAULT_PORTS;
  return Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, base === 0 ? 0 : base + i])) as Record<
    ServiceName,
    number
  >;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      latency: { type: "string", default: "0" },
      "error-rate": { type: "string", default: "0" },
      mode: { type: "string", default: "ok" },
      service: { type: "string" },
      only: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      "port-base": { type: "string", default: String(DEFAULT_PORTS.catalog) },
      products: { type: "string", default: "1000" },
      users: { type: "string", default: "200" },
      json: { type: "boolean", default: false },
      notify: { type: "string" },
    },
  });
  const config = parseConfig(process.env);
  const upstreams = await startUpstreams({
    ports: portsFrom(intFlag("port-base", values["port-base"], 0, 65_530)),
    apiKeys: config.apiKeys,
    host: values.host,
    sizes: {
      products: intFlag("products", values.products, 1, 9_999),
      users: intFlag("users", values.users, 1, 9_999),
    },
    recordCalls: false, // nobody in this process reads them; counts and traces stay available over /__calls
  });
  // --notify URL: send signed change events (cache invalidation) to the BFF at URL.
  if (values.notify) {
    upstreams.sendEventsTo(values.notify, (service) => {
      const spec = config.webhookSecrets[service]; // none: the BFF refuses that service's webhooks, so it sends none
      return spec
        ? (("value" in spec ? spec.value : readSecretFile(spec.file)).trim().split(/\s+/)[0] as string)
        : undefined;
    });
  }
  const faults = parseFaults({
    latencyMs: Number(values.latency),
    errorRate: Number(values["error-rate"]),
    mode: values.mode,
    only: values.only ?? null,
  });
  for (const name of SERVICE_NAMES) {
    if (!values.service || values.service === name) upstreams.services[name].setFaults(faults);
    if (!values.json) console.log(`${name.padEnd(9)} ${upstreams.urls[name]}`);
  }
  if (values.json) console.log(JSON.stringify({ urls: upstreams.urls }));
  const stop = (): void => void upstreams.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
