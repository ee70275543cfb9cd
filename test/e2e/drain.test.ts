import { Agent, request } from "node:http";
import { loadOperations } from "../support/operations";
import { eventually } from "../support/redis-process";
import { startStack, type Json, type Stack } from "../support/stack";
import { token } from "../support/tokens";

const ops = loadOperations();

interface Answer {
  status: number;
  connection: string | undefined;
  body: Json;
}

/** One POST over node:http (keep-alive through `agent`, or a fresh connection), so socket errors are seen as they are. */
function post(url: string, body: object, agent: Agent | false, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            connection: res.headers.connection,
            body: JSON.parse(Buffer.concat(chunks).toString() || "{}") as Json,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("drain on shutdown", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { DRAIN_GRACE_MS: "1500", DRAIN_TIMEOUT_MS: "10000" } });
  });
  afterAll(() => stack.close());

  test("readiness turns 503 at once, keep-alive clients are told to close, new connections are accepted for the grace period and refused after, in-flight checkout finishes", async () => {
    const { url, server } = stack;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const outcomes: Array<{ draining: boolean; status?: number; connection?: string; error?: string }> = [];
    let running = true;
    const worker = async (): Promise<void> => {
      for (let n = 0; running && n < 10_000; n++) {
        const draining = server.lifecycle.draining;
        try {
          const res = await post(url, { query: ops.ProductDetail, variables: { id: "p-0001" } }, agent);
          outcomes.push({ draining, status: res.status, connection: res.connection });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          outcomes.push({ draining, error: code });
        }
      }
    };
    const workers = Promise.all([worker(), worker(), worker(), worker()]);
    await eventually(() => outcomes.length >= 20, 2_000, 5);

    // A checkout in flight when the drain starts: payments holds the charge until told to go on.
    stack.upstreams.services.payments.setFaults({ mode: "hold" });
    const input = {
      items: [{ productId: "p-0600", quantity: 1 }],
      idempotencyKey: "drain-checkout",
      paymentMethod: "pm_card_visa",
    };
    const checkout = post(url, { query: ops.Checkout, variables: { input } }, false, {
      authorization: `Bearer ${await token("u-0170")}`,
    });
    await eventually(() => stack.upstreams.services.payments.calls.length > 0, 2_000, 5);

    const drained = server.drain();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "draining", store: "memory" });
    // The load balancer goes on sending for a while (the grace period is for it to notice), then stops.
    await eventually(() => outcomes.filter((o) => o.draining).length >= 12, 1_000, 5);
    running = false;
    await workers;
    expect(server.httpServer.listening).toBe(true); // all of that within the grace period
    const fresh = await post(url, { query: "{ categories { id } }" }, false); // a new connection, still within it
    expect(fresh.status).toBe(200);
    expect(fresh.connection).toBe("close");

    await eventually(() => !server.httpServer.listening, 500, 10); // the grace period ends
    await expect(post(url, { query: "{ categories { id } }" }, false)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    stack.upstreams.services.payments.setFaults({ mode: "ok" });
    const done = await checkout;
    expect(done.body.data?.checkout.order.id).toEqual(expect.any(String));
    expect(done.connection).toBe("close");
    await drained;
    agent.destroy();

    expect(outcomes.filter((o) => o.error)).toEqual([]); // no reset, no hang-up, nothing refused while the load balancer still sent
    expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200)).toEqual([]);
    const duringDrain = outcomes.filter((o) => o.draining && o.status !== undefined);
    expect(duringDrain.length).toBeGreaterThan(0);
    expect(duringDrain.every((o) => o.connection === "close")).toBe(true);
    expect(outcomes.some((o) => !o.draining && o.connection === "keep-alive")).toBe(true); // before: connections were reused
  });
});
