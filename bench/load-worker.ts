// The load generator, in its own process (forked by the bench): autocannon driving one server with
// a workload's seeded request stream. Protocol over IPC: the parent sends a LoadJob, the worker
// answers "ready" once everything is built, runs on "go", and answers a LoadResult.
import autocannon from "autocannon";
import { BenchData } from "./bench-data";
import { encodeRequest, loadDocuments } from "./request-encoding";
import { requestStream } from "./request-stream";
import type { Tokens, WorkloadName } from "./workloads";

export interface LoadJob {
  readonly url: string;
  readonly workload: WorkloadName;
  readonly seed: number;
  readonly connections: number;
  readonly seconds: number;
  readonly tokens: Tokens;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  readonly non2xx: number;
  /** 2xx responses whose body carries GraphQL `errors`. */
  readonly graphqlErrors: number;
  /** The first few error bodies (non-2xx, or GraphQL errors), cut short: what went wrong. */
  readonly errorSamples: string[];
  /** Cores the load generator itself kept busy (near 1: it, not the server, may be the limit). */
  readonly loadGeneratorCores: number;
}

export async function runLoad(job: LoadJob, onReady?: () => Promise<void>): Promise<LoadResult> {
  const bench = new BenchData();
  const documents = loadDocuments();
  const next = requestStream(job.workload, job.seed, bench);
  const url = new URL(job.url);
  let graphqlErrors = 0;
  const errorSamples: string[] = [];
  const sample = (status: number, body: string): void => {
    if (errorSamples.length < 3) errorSamples.push(`${status} ${body.slice(0, 300)}`);
  };
  await onReady?.();
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    requests: [
      {
        method: "POST",
        path: url.pathname,
        setupRequest: (req) => {
          const { body, headers } = encodeRequest(next(), documents, job.tokens);
          return { ...req, method: "POST", path: url.pathname, body, headers };
        },
        onResponse: (status, body) => {
          const ok = status >= 200 && status < 300;
          if (ok && body.includes('"errors"')) graphqlErrors += 1;
          if (!ok || body.includes('"errors"')) sample(status, body);
        },
      },
    ],
  });
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = result.duration;
  return {
    requests: result.requests.total,
    seconds,
    rps: seconds > 0 ? result.requests.total / seconds : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors,
    errorSamples,
    loadGeneratorCores: seconds > 0 ? (cpu.user + cpu.system) / 1e6 / seconds : 0,
  };
}

if (require.main === module && process.send) {
  process.once("message", (job: LoadJob) => {
    const ready = (): Promise<void> =>
      new Promise((resolve) => {
        process.once("message", () => resolve());
        process.send?.("ready");
      });
    runLoad(job, ready)
      .then((result) => process.send?.(result, () => process.exit(0)))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  });
}
