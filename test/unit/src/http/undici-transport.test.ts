// axios over undici, against a real loopback server: what ServiceHttp relies on from the
// transport (status handling, timeouts, cancellation, the size bound, headers and bodies).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import axios, { AxiosError, isCancel, type AxiosInstance } from "axios";
import { UndiciTransport, warmUpTransport } from "../../../../src/http/undici-transport";

describe("UndiciTransport", () => {
  let server: Server;
  let base: string;
  let transport: UndiciTransport;
  let client: AxiosInstance;
  const seen: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (req.url === "/slow") return; // never answers: the timeout or the signal ends the call
        if (req.url === "/missing")
          return void res.writeHead(404, { "content-type": "application/json" }).end('{"code":"NOT_FOUND"}');
        if (req.url === "/big") return void res.writeHead(200).end("x".repeat(4096));
        if (req.url === "/etag") return void res.writeHead(304, { etag: '"v1"' }).end();
        res
          .writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" })
          .end(JSON.stringify({ ok: true, url: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    transport = new UndiciTransport();
    client = axios.create({
      adapter: transport.adapter,
      timeout: 2_000,
      headers: { "X-Api-Key": "k" },
      maxContentLength: 1024,
      validateStatus: (status) => (status >= 200 && status < 300) || status === 304,
      transformResponse: [(data: string) => (data ? JSON.parse(data) : data)],
    });
  });

  afterAll(async () => {
    await transport.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  test("sends the method, path with query, headers and body; answers with status, headers and the transformed body", async () => {
    const res = await client.request({
      method: "POST",
      url: `${base}/orders?first=2&ids=a,b`,
      data: '{"x":1}',
      headers: { "Content-Type": "application/json", "X-Request-Id": "r-1" },
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true, url: "/orders?first=2&ids=a,b" });
    expect(res.headers["cache-control"]).toBe("max-age=60");
    expect(seen).toHaveLength(1);
    expect(seen[0]!).toMatchObject({ method: "POST", url: "/orders?first=2&ids=a,b", body: '{"x":1}' });
    expect(seen[0]!.headers).toMatchObject({
      "x-api-key": "k",
      "x-request-id": "r-1",
      "content-type": "application/json",
    });
    expect(seen[0]!.headers["accept-encoding"]).toBeUndefined(); // no compression asked of upstreams
  });

  test("a status validateStatus refuses is an AxiosError carrying the response (parsed)", async () => {
    const error = await client.get(`${base}/missing`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).code).toBe(AxiosError.ERR_BAD_REQUEST);
    expect((error as AxiosError).response?.status).toBe(404);
    expect((error as AxiosError).response?.data).toEqual({ code: "NOT_FOUND" });
  });

  test("304 is accepted with an empty body", async () => {
    const res = await client.get(`${base}/etag`, { headers: { "If-None-Match": '"v1"' } });
    expect(res.status).toBe(304);
    expect(res.data).toBe("");
  });

  test("the whole call is bound by `timeout`: ECONNABORTED, as axios's own adapter reports it", async () => {
    const error = await client.get(`${base}/slow`, { timeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).code).toBe(AxiosError.ECONNABORTED);
  });

  test("an aborted signal cancels the call (ERR_CANCELED), before or during it", async () => {
    const early = await client.get(`${base}/ok`, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isCancel(early)).toBe(true);
    expect(seen).toHaveLength(0);
    const controller = new AbortController();
    const pending = client.get(`${base}/slow`, { signal: controller.signal }).catch((e: unknown) => e);
    while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const late = await pending;
    expect(isCancel(late)).toBe(true);
    expect((late as AxiosError).code).toBe(AxiosError.ERR_CANCELED);
  });

  test("a body over maxContentLength is refused, not buffered", async () => {
    const error = await client.get(`${base}/big`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).message).toContain("maxContentLength");
  });

  test("a refused connection is a network error with the system code", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await client.get(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).response).toBeUndefined();
    expect((error as AxiosError).code).toBe("ECONNREFUSED");
  });

  test("new TLS options replace the connections; calls go on", async () => {
    transport.useTls(null);
    expect((await client.get(`${base}/after`)).data).toEqual({ ok: true, url: "/after" });
  });

  test("closing twice (shutdown paths overlap) is harmless", async () => {
    const spare = new UndiciTransport();
    await expect(Promise.all([spare.close(), spare.close()])).resolves.toEqual([undefined, undefined]);
    await expect(spare.close()).resolves.toBeUndefined();
  });

  test("the parser warm-up completes against its own loopback socket", async () => {
    await expect(warmUpTransport()).resolves.toBeUndefined();
  });
});
