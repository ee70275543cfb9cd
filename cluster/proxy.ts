import { request, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * A small round-robin HTTP proxy for `npm run cluster`: each request goes to the next replica;
 * one that refuses the connection is skipped (the request goes to the next). Bodies are buffered,
 * so a request can be replayed on another replica. Tells which replica answered (`x-served-by`).
 */
export function roundRobinProxy(targets: readonly string[]): Server {
  let next = 0;
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => forward(req, res, Buffer.concat(chunks), targets.length));
  });

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, triesLeft: number): void {
    const index = next;
    next = (next + 1) % targets.length;
    const target = new URL(targets[index] as string);
    const forwardedFor = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-for": forwardedFor, "content-length": String(body.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "x-served-by": String(index) });
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (triesLeft > 1 && !res.headersSent) return forward(req, res, body, triesLeft - 1);
      if (!res.headersSent)
        res
          .writeHead(502, { "content-type": "application/json" })
          .end(JSON.stringify({ errors: [{ message: "no replica answered", extensions: { code: "BAD_GATEWAY" } }] }));
      else res.destroy();
    });
    upstream.end(body);
  }
}
