import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { CheckoutDocument } from "../../operations/generated/graphql";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

describe("checkout when the shared store (Redis) is lost mid-way", () => {
  const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;
  const maybe = hasRedis ? test : test.skip;
  let redis: ChildProcess | null = null;
  let stack: Stack | null = null;
  afterAll(async () => {
    await stack?.close();
    redis?.kill("SIGKILL");
  });

  maybe(
    "the checkout needs no Redis: killed during a checkout, the answer is still the paid order, and a retry returns it",
    async () => {
      const port = await new Promise<number>((resolve) => {
        const s = createNetServer().listen(0, "127.0.0.1", () => {
          const p = (s.address() as AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      redis = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: "ignore" },
      );
      const url = `redis://127.0.0.1:${port}`;
      for (
        let i = 0;
        i < 100 &&
        !(await fetch(`http://127.0.0.1:${port}`).then(
          () => true,
          (e: { cause?: { code?: string } }) => e.cause?.code !== "ECONNREFUSED",
        ));
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      stack = await startStack({ env: { REDIS_URL: url } });
      const gone = new Promise((resolve) => redis?.on("exit", resolve));
      stack.upstreams.services.orders.setFaults({ mode: "hold", only: "^/orders$" }); // the checkout waits at its order
      const input = {
        items: [{ productId: "p-0530", quantity: 1 }],
        idempotencyKey: "redis-lost",
        paymentMethod: "pm_card_visa",
      };
      const pending = stack.post(CheckoutDocument, { input }, { token: await token("u-0191") });
      for (let i = 0; i < 1_000 && !stack.upstreams.services.orders.calls.some((c) => c.path === "/orders"); i++)
        await new Promise((r) => setTimeout(r, 10));
      redis.kill("SIGKILL");
      await gone;
      stack.upstreams.services.orders.setFaults({ mode: "ok", only: null });
      const res = await pending;
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.checkout.order).toMatchObject({ status: "PAID" });
      const retried = await stack.post(CheckoutDocument, { input }, { token: await token("u-0191") });
      expect(retried.body.data?.checkout.order?.id).toBe(res.body.data?.checkout.order?.id);
      expect(stack.upstreams.data.payments.filter((p) => p.reference === "u-0191:redis-lost")).toHaveLength(1);
      expect(stack.upstreams.inventory.held()).toEqual([]);
    },
  );
});
