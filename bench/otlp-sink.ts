// The OTLP/HTTP endpoint the bench's traced BFF exports to: it takes every batch of spans
// (JSON, as the BFF sends them), counts the spans and answers 200, so that tracing's cost is
// measured with a real exporter and a collector that keeps up.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface OtlpSink {
  /** The base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT): spans go to `${url}/v1/traces`. */
  readonly url: string;
  /** Spans received since the last reset. */
  spans(): number;
  reset(): void;
  close(): Promise<void>;
}

interface ExportRequest {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>;
}

export async function startOtlpSink(host: string): Promise<OtlpSink> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ExportRequest;
        for (const resource of body.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) received += scope.spans?.length ?? 0;
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    spans: () => received,
    reset: () => {
      received = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
