// The soak: the mixed workload against our BFF for minutes, its RSS sampled every second.
import { SECRETS } from "./bench-secrets";
import { measurePhase } from "./measure";
import { memory, mib } from "./proc";
import { upstreamRoundTripMs } from "./round-trip";
import { meta } from "./run-meta";
import { loadSettings, type Options } from "./run-options";
import { startServer } from "./server-process";
import { soakSummary, type SoakReport } from "./soak-report";
import type { UpstreamsProcess } from "./upstreams-process";
import type { Tokens } from "./workloads";

export async function runSoak(options: Options, upstreams: UpstreamsProcess, tokens: Tokens): Promise<SoakReport> {
  const minutes = options.soakMinutes ?? 5;
  const server = await startServer("bff", { upstreams: upstreams.urls });
  const samples: Array<[number, number]> = [];
  console.log(
    `soak: the mixed workload against our BFF (pid ${server.pid}), ${options.connections} connections, ${minutes} min`,
  );
  try {
    const load = await measurePhase(
      server,
      upstreams,
      "Mixed",
      "soak",
      { ...loadSettings(options, tokens), seconds: Math.round(minutes * 60) },
      (elapsedMs) => {
        let rss: number;
        try {
          rss = mib(memory(server.pid).rssBytes);
        } catch {
          return; // it exited: measurePhase reports how, with its stderr
        }
        samples.push([Math.round(elapsedMs / 1000), rss]);
        if (samples.length % 30 === 0) console.log(`  ${samples.length} s: RSS ${rss.toFixed(0)} MiB`);
      },
    );
    const roundTripMs = await upstreamRoundTripMs(upstreams.urls.catalog, SECRETS.apiKeys.catalog);
    return { meta: meta(options, roundTripMs), load, samples, ...soakSummary(samples) };
  } finally {
    await server.stop();
  }
}
