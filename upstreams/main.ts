// `npm run upstreams`: the six demo services alone, on their default ports (4001..4006).
// Flags: --latency MS, --error-rate 0..1, --mode ok|down|reset|hang, --only PATH_REGEX, --service NAME, --host ADDR.
// Faults can also be changed while running: curl -X POST localhost:4003/__faults -H 'content-type: application/json' -d '{"mode":"down"}'
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config";
import { parseFaults } from "./faults";
import { DEFAULT_PORTS, SERVICE_NAMES, startUpstreams } from "./start";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      latency: { type: "string", default: "0" },
      "error-rate": { type: "string", default: "0" },
      mode: { type: "string", default: "ok" },
      service: { type: "string" },
      only: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const config = parseConfig(process.env);
  const upstreams = await startUpstreams({ ports: DEFAULT_PORTS, apiKeys: config.apiKeys, host: values.host });
  const faults = parseFaults({ latencyMs: Number(values.latency), errorRate: Number(values["error-rate"]), mode: values.mode, only: values.only ?? null });
  for (const name of SERVICE_NAMES) {
    if (!values.service || values.service === name) upstreams.services[name].setFaults(faults);
    console.log(`${name.padEnd(9)} ${upstreams.urls[name]}`);
  }
  const stop = (): void => void upstreams.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
