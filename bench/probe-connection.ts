// The bench's own HTTP client: one keep-alive connection per target, what the one-connection latency
// probe, the same-answers check and the control routes use.
import { Agent, request } from "node:http";

/** One keep-alive connection per target: what the one-connection latency probe uses. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface Sent {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** An HTTP request over the bench's single keep-alive connection; `ms` from send to the last byte. */
export function send(
  url: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          ms: performance.now() - start,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`bench: ${url} timed out`)));
    req.end(options.body);
  });
}

/** Closes the probe connection, so that the bench process can exit. */
export const closeConnections = (): void => agent.destroy();
