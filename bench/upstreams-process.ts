// The demo upstreams as a bench process, and what the bench asks them over their `/__calls` route.
import { spawn } from "node:child_process";
import { SERVICE_NAMES, type ServiceName } from "../src/services";
import type { TracedCall } from "../upstreams/service-control";
import type { SeedSizes } from "../upstreams/seed";
import { apiKeyEnv, SECRETS } from "./bench-secrets";
import { entryPoints } from "./paths";
import { send } from "./probe-connection";
import { track, type Child } from "./processes";

/** What the bench asks the demo upstreams over their `/__calls` control route. */
export interface UpstreamsControl {
  /** Calls per service since the last reset. */
  counts(): Promise<Record<ServiceName, number>>;
  /** Calls of traced requests (X-Request-Id `trace-*`) since the last reset. */
  traced(): Promise<TracedCall[]>;
  reset(): Promise<void>;
}

export function upstreamsControl(urls: Record<ServiceName, string>): UpstreamsControl {
  const read = async () =>
    Promise.all(
      SERVICE_NAMES.map(async (s) => {
        const res = await send(`${urls[s]}/__calls`);
        return [s, JSON.parse(res.body) as { count: number; traced: TracedCall[] }] as const;
      }),
    );
  return {
    counts: async () => Object.fromEntries((await read()).map(([s, v]) => [s, v.count])) as Record<ServiceName, number>,
    traced: async () => (await read()).flatMap(([, v]) => v.traced),
    reset: async () => {
      await Promise.all(SERVICE_NAMES.map((s) => send(`${urls[s]}/__calls`, { method: "DELETE" })));
    },
  };
}

export interface UpstreamsProcess extends Child, UpstreamsControl {
  readonly urls: Record<ServiceName, string>;
}

/** `node dist/upstreams/main.js` on free ports; its URLs come back as one JSON line on stdout. */
export async function startUpstreams(
  latencyMs: number,
  sizes: SeedSizes,
  secrets = SECRETS,
): Promise<UpstreamsProcess> {
  const child = spawn(
    process.execPath,
    [
      entryPoints().upstreams,
      "--port-base",
      "0",
      "--json",
      "--latency",
      String(latencyMs),
      "--products",
      String(sizes.products),
      "--users",
      String(sizes.users),
    ],
    { env: apiKeyEnv(secrets), stdio: ["ignore", "pipe", "pipe"] },
  );
  const tracked = track(child, "the upstreams");
  const urls = await new Promise<Record<ServiceName, string>>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line && out.includes("\n")) resolve((JSON.parse(line) as { urls: Record<ServiceName, string> }).urls);
    });
    child.once("exit", (code) => reject(new Error(`bench: the upstreams exited (${code}): ${tracked.stderr()}`)));
  });
  child.stdout?.resume();
  return { ...tracked, ...upstreamsControl(urls), urls };
}
