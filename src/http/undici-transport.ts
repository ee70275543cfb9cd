import { createServer } from "node:net";
import type { ConnectionOptions } from "node:tls";
import {
  AxiosError,
  AxiosHeaders,
  CanceledError,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from "axios";
import { Agent, Client, type Dispatcher } from "undici";

/** Keep-alive connections per upstream origin. */
const CONNECTIONS = 64;

export type TlsOptions = Pick<ConnectionOptions, "ca" | "cert" | "key">;

/**
 * axios's transport for upstream calls: an adapter over undici's connection pools, in place of
 * `node:http` agents. axios keeps doing what it is for (defaults, headers, interceptors,
 * `validateStatus`, transforms, its errors); undici writes each request in one go and parses
 * responses with llhttp, which costs about a third less CPU per call than `node:http`.
 * Supports what ServiceHttp asks of axios: absolute URLs, string bodies, `timeout` (whole call),
 * `signal`, `validateStatus`, `maxContentLength`; no redirects are followed and no compression is
 * asked for (upstream bodies are small JSON on a private network: inflating costs more CPU than
 * the bytes are worth). One transport per upstream: its TLS options (mTLS) can be replaced.
 */
export class UndiciTransport {
  private dispatcher: Agent;

  constructor(tls: TlsOptions | null = null) {
    this.dispatcher = createAgent(tls);
  }

  readonly adapter: AxiosAdapter = (config) => this.send(config);

  /** New TLS options (a rotated certificate): new connections use them; open ones finish their calls. */
  useTls(tls: TlsOptions | null): void {
    const previous = this.dispatcher;
    this.dispatcher = createAgent(tls);
    void previous.close().catch(() => undefined);
  }

  /** Closes the connections once calls in flight finish; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.dispatcher.closed || this.dispatcher.destroyed) return;
    await this.dispatcher.close();
  }

  private send(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const url = config.url ?? "";
    const pathAt = url.indexOf("/", url.indexOf("//") + 2);
    const origin = pathAt < 0 ? url : url.slice(0, pathAt);
    const path = pathAt < 0 ? "/" : url.slice(pathAt);
    const method = (config.method ?? "get").toUpperCase() as Dispatcher.HttpMethod;
    const headers = flatHeaders(config.headers);
    const body = typeof config.data === "string" ? config.data : undefined;
    const request = { method, url };
    const maxBytes =
      config.maxContentLength !== undefined && config.maxContentLength > 0 ? config.maxContentLength : Infinity;

    return new Promise<AxiosResponse>((resolve, reject) => {
      const controller = new CallAbort();
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        cleanup();
        controller.abort(error);
        reject(error);
      };
      const outer = config.signal as AbortSignal | undefined;
      const onAbort = (): void => fail(new CanceledError(undefined, config, request));
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        outer?.removeEventListener("abort", onAbort);
      };
      if (outer?.aborted) return onAbort();
      outer?.addEventListener("abort", onAbort, { once: true });
      if (config.timeout) {
        timer = setTimeout(
          () =>
            fail(new AxiosError(`timeout of ${config.timeout}ms exceeded`, AxiosError.ECONNABORTED, config, request)),
          config.timeout,
        );
      }

      this.dispatcher.request({ origin, path, method, headers, body, signal: controller }).then(
        ({ statusCode, headers: raw, body: stream }) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          stream.on("data", (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > maxBytes) {
              stream.destroy();
              fail(
                new AxiosError(
                  `maxContentLength size of ${maxBytes} exceeded`,
                  AxiosError.ERR_BAD_RESPONSE,
                  config,
                  request,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          stream.on("error", (error: Error) => fail(transportError(error, config, request)));
          stream.on("end", () => {
            if (settled) return;
            settled = true;
            cleanup();
            const response: AxiosResponse = {
              data: Buffer.concat(chunks, bytes).toString("utf8"),
              status: statusCode,
              statusText: "",
              headers: new AxiosHeaders(raw as Record<string, string>),
              config,
              request,
            };
            if (!config.validateStatus || config.validateStatus(statusCode)) return resolve(response);
            const code =
              statusCode >= 400 && statusCode < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE;
            reject(new AxiosError(`Request failed with status code ${statusCode}`, code, config, request, response));
          });
        },
        (error: Error) => fail(transportError(error, config, request)),
      );
    });
  }
}

/**
 * What undici needs of a call's abort signal (`aborted`, `reason` and one listener): an
 * AbortController per call costs more than the rest of the adapter (Node builds an EventTarget).
 */
class CallAbort {
  aborted = false;
  reason: unknown = undefined;
  private listener: (() => void) | undefined;

  addEventListener(_type: "abort", listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(): void {
    this.listener = undefined;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.listener?.();
  }
}

function createAgent(tls: TlsOptions | null): Agent {
  return new Agent({ connections: CONNECTIONS, keepAliveTimeout: 4_000, ...(tls ? { connect: tls } : {}) });
}

/** axios's headers as undici takes them (one object, values as strings). */
function flatHeaders(headers: InternalAxiosRequestConfig["headers"]): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers.toJSON())) {
    if (value !== undefined && value !== null) flat[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return flat;
}

/** A failure below HTTP, as the http adapter would report it (ServiceHttp maps AxiosError codes). */
function transportError(error: Error, config: InternalAxiosRequestConfig, request: unknown): Error {
  if (error instanceof AxiosError || error instanceof CanceledError) return error;
  const code = (error as { code?: string }).code;
  return new AxiosError(error.message, code ?? "ERR_NETWORK", config, request);
}

/**
 * undici compiles its HTTP parser (WebAssembly) on its first connection, which takes tens of
 * milliseconds (hundreds under load). Done once at start, on a loopback socket, so that no
 * client request pays for it.
 */
export async function warmUpTransport(): Promise<void> {
  const server = createServer((socket) => {
    socket.once("data", () => socket.end("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const client = new Client(`http://127.0.0.1:${port}`);
  try {
    const { body } = await client.request({ path: "/", method: "GET" });
    await body.dump();
  } finally {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
