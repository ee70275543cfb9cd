import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A real HTTP server on 127.0.0.1, an ephemeral port, answering with `handler`; it records each request. */
export interface Loopback {
  readonly url: string;
  readonly requests: Array<{ method: string; url: string; headers: IncomingMessage["headers"] }>;
  close(): Promise<void>;
}

export async function startLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const requests: Loopback["requests"] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    req.on("end", () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // requests left hanging on purpose
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: connecting to it is refused. */
export async function closedPort(): Promise<string> {
  const probe = await startLoopback((_req, res) => res.end());
  await probe.close();
  return probe.url;
}
