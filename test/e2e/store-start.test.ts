import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { parseConfig } from "../../src/config";
import { createServer } from "../../src/server";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { eventually, RedisProcess } from "../support/redis-process";
import { capturedLogger, postGraphQL, startStack, type Json, type Stack } from "../support/stack";

const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
const describeIf = hasRedis ? describe : describe.skip;

/** Starts a BFF on `redisUrl` and says how long until it listened. */
async function startOn(upstreams: Upstreams, redisUrl: string) {
  const { logger, lines } = capturedLogger();
  const started = performance.now();
  const stack = await startStack({
    upstreams,
    logger,
    env: {
      REDIS_URL: redisUrl,
      STORE_NAMESPACE: `start-${randomUUID()}`,
      STORE_TIMEOUT_MS: "50",
      STORE_RETRY_MS: "50",
    },
  });
  return { stack, lines, listenedAfterMs: performance.now() - started };
}

async function expectServingDegraded(stack: Stack, store: string): Promise<void> {
  expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
  const ready = await fetch(`${stack.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "degraded", store });
  const res = await postGraphQL<Json>(stack.url, "{ categories { id } }");
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.categories.length).toBeGreaterThan(0);
}

describeIf("starting without the store", () => {
  let upstreams: Upstreams;
  beforeAll(async () => {
    upstreams = await startUpstreams({ apiKeys: parseConfig({}).apiKeys });
  });
  afterAll(() => upstreams.close());

  test("Redis down: listens and serves degraded within 5 s, then connects when Redis comes up", async () => {
    const redis = await RedisProcess.start();
    await redis.kill(); // its port now refuses
    const { stack, lines, listenedAfterMs } = await startOn(upstreams, redis.url);
    try {
      expect(listenedAfterMs).toBeLessThan(5_000);
      await expectServingDegraded(stack, "connecting");
      await redis.restart();
      await eventually(() => stack.server.store.link?.state === "up", 1_000, 5);
      expect(await (await fetch(`${stack.url}/readyz`)).json()).toEqual({ status: "ready", store: "up" });
      expect(lines.filter((l) => l.msg?.startsWith("shared store unreachable at start")).length).toBe(1); // once, not per attempt
      expect(lines.filter((l) => l.msg === "shared store up").length).toBe(1);
    } finally {
      await stack.close();
      await redis.kill();
    }
  });

  test("Redis refusing (every connection reset at once): listens and serves degraded within 5 s", async () => {
    const refusing: TcpServer = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const { stack, lines, listenedAfterMs } = await startOn(
      upstreams,
      `redis://127.0.0.1:${(refusing.address() as AddressInfo).port}`,
    );
    try {
      expect(listenedAfterMs).toBeLessThan(5_000);
      await expectServingDegraded(stack, "connecting");
      expect(lines.filter((l) => l.msg?.startsWith("shared store")).length).toBe(1);
    } finally {
      await stack.close();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  test("Redis frozen (accepts, never answers): listens and serves degraded within 5 s, says so once, connects when it thaws", async () => {
    const redis = await RedisProcess.start();
    redis.freeze();
    const { stack, lines, listenedAfterMs } = await startOn(upstreams, redis.url);
    try {
      expect(listenedAfterMs).toBeLessThan(5_000);
      await expectServingDegraded(stack, "connecting");
      expect(lines.filter((l) => l.msg?.startsWith("shared store unreachable at start"))).toEqual([
        expect.objectContaining({ level: 40, reason: "not ready within 1000 ms" }),
      ]);
      redis.thaw();
      await eventually(() => stack.server.store.link?.state === "up", 1_000, 5);
      expect(await (await fetch(`${stack.url}/readyz`)).json()).toEqual({ status: "ready", store: "up" });
    } finally {
      await stack.close();
      await redis.kill();
    }
  });
});

describeIf("closing with the store", () => {
  let upstreams: Upstreams;
  beforeAll(async () => {
    upstreams = await startUpstreams({ apiKeys: parseConfig({}).apiKeys });
  });
  afterAll(() => upstreams.close());

  /** "closed" once `closing` settles, "hung" if it has not after 5 s (the grace is 1 s). */
  async function settles(closing: Promise<void>): Promise<"closed" | "hung"> {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<"hung">((resolve) => {
      timer = setTimeout(resolve, 5_000, "hung");
    });
    const outcome = await Promise.race([closing.then(() => "closed" as const), hung]);
    clearTimeout(timer);
    return outcome;
  }

  test("a store frozen while up, with a command waiting on it: close gives up after its grace", async () => {
    const redis = await RedisProcess.start();
    const { stack } = await startOn(upstreams, redis.url);
    let closing: Promise<void> | undefined;
    try {
      await eventually(() => stack.server.store.link?.state === "up", 1_000, 5);
      redis.freeze();
      // A request whose cache read goes out to the frozen store (and times out there): the command stays queued.
      const res = await postGraphQL<Json>(stack.url, '{ product(id: "p-0001") { id name } }');
      expect(res.status).toBe(200);
      expect(res.body.data?.product).toEqual({ id: "p-0001", name: expect.any(String) });
      closing = stack.close();
      expect(await settles(closing)).toBe("closed");
    } finally {
      if (!closing) await settles(stack.close()); // a failure before the close: still closed, within the bound
      redis.thaw();
      await redis.kill();
    }
  });

  test("a store still connecting (every connection reset): close drops it at once", async () => {
    const refusing: TcpServer = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const { stack } = await startOn(upstreams, `redis://127.0.0.1:${(refusing.address() as AddressInfo).port}`);
    try {
      expect(stack.server.store.link?.state).not.toBe("up");
      expect(await settles(stack.close())).toBe("closed");
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});

describe("readiness", () => {
  test("503 before the server serves, 200 once it does (memory-only store)", async () => {
    const upstreams = await startUpstreams({ apiKeys: parseConfig({}).apiKeys });
    const { logger } = capturedLogger();
    const server = await createServer(parseConfig({ LOG_LEVEL: "silent" }), { upstreamUrls: upstreams.urls, logger });
    try {
      await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve)); // listening, not yet serving
      const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
      const before = await fetch(`${url}/readyz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: "starting", store: "memory" });
      server.lifecycle.phase = "serving"; // what listen() does once it listens
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: "ready", store: "memory" });
    } finally {
      await server.close();
      await upstreams.close();
    }
  });
});
