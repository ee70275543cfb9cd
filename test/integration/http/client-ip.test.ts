import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { clientIpResolver, parseTrustProxy, type TrustProxy } from "../../../src/http/client-ip";

/** A node:http server on loopback that answers each request with the address the resolver gives. */
async function serve(
  trust: TrustProxy,
  lines: string[],
): Promise<{ ask(forwarded?: string): Promise<string>; close(): Promise<void> }> {
  const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
  const resolve = clientIpResolver(trust, logger);
  const server: Server = createServer((req, res) => res.end(resolve(req)));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    ask: async (forwarded) => (await fetch(url, { headers: forwarded ? { "x-forwarded-for": forwarded } : {} })).text(),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

describe("TRUST_PROXY", () => {
  test.each([
    [undefined, false],
    ["", false],
    ["false", false],
    ["0", 0],
    ["true", true],
    ["2", 2],
    ["10.0.0.0/8", ["10.0.0.0/8"]],
    ["loopback, 192.168.1.7 ,fd00::/8", ["loopback", "192.168.1.7", "fd00::/8"]],
  ])("%j reads as %j", (raw, expected) => {
    const problems: string[] = [];
    expect(parseTrustProxy(raw, problems)).toEqual(expected);
    expect(problems).toEqual([]);
  });

  test.each(["10.0.0.0/99", "not-an-address", "1000"])("%j is a configuration error", (raw) => {
    const problems: string[] = [];
    parseTrustProxy(raw, problems);
    expect(problems).toEqual([expect.stringMatching(/^TRUST_PROXY must be true, false, a number of hops/)]);
  });
});

describe("the client's address over real sockets", () => {
  test("no proxy trusted: the peer, whatever X-Forwarded-For says, and one warning however many requests carry it", async () => {
    const lines: string[] = [];
    const server = await serve(false, lines);
    expect(await server.ask()).toBe("127.0.0.1");
    expect(lines).toEqual([]);
    expect(await server.ask("203.0.113.9")).toBe("127.0.0.1");
    expect(await server.ask("203.0.113.10")).toBe("127.0.0.1");
    await server.close();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 40,
      peer: "127.0.0.1",
      msg: expect.stringMatching(/X-Forwarded-For but no proxy is trusted \(TRUST_PROXY\)/),
    });
  });

  test("a trusted address or range: the nearest address that is not a trusted proxy", async () => {
    const lines: string[] = [];
    for (const trust of [["127.0.0.1"], ["127.0.0.0/8"], ["loopback"]]) {
      const server = await serve(trust, lines);
      expect(await server.ask("203.0.113.9")).toBe("203.0.113.9");
      expect(await server.ask("198.51.100.1, 203.0.113.9")).toBe("203.0.113.9"); // 203.0.113.9 is not trusted: it is the client
      expect(await server.ask()).toBe("127.0.0.1");
      await server.close();
    }
    const chain = await serve(["127.0.0.1", "10.0.0.0/8"], lines);
    expect(await chain.ask("198.51.100.1, 10.1.2.3")).toBe("198.51.100.1"); // through two trusted proxies
    await chain.close();
    const other = await serve(["10.0.0.0/8"], lines); // the peer itself is not trusted
    expect(await other.ask("203.0.113.9")).toBe("127.0.0.1");
    await other.close();
    expect(lines).toEqual([]);
  });

  test("a number of hops, and true (every peer)", async () => {
    const lines: string[] = [];
    const one = await serve(1, lines);
    expect(await one.ask("198.51.100.1, 203.0.113.9")).toBe("203.0.113.9");
    await one.close();
    const all = await serve(true, lines);
    expect(await all.ask("198.51.100.1, 203.0.113.9")).toBe("198.51.100.1");
    await all.close();
  });
});
