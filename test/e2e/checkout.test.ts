import { CheckoutDocument } from "../../operations/generated/graphql";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { stockOf } from "../support/expected";
import { startStack, type GraphQLResponse, type Stack } from "../support/stack";
import { token } from "../support/tokens";
import { NO_CALLS } from "../support/services";

describe("checkout saga", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  afterEach(() => stack.upstreams.reset());

  let n = 0;
  /** A fresh customer and key per test, so each test sees only its own side effects. */
  const fresh = () => {
    n += 1;
    return { user: `u-01${String(n).padStart(2, "0")}`, key: `key-${n}` };
  };
  const checkout = async (
    user: string,
    key: string,
    items: Array<{ productId: string; quantity: number }>,
    paymentMethod = "pm_card_visa",
  ) =>
    stack.post(
      CheckoutDocument,
      { input: { items, idempotencyKey: key, paymentMethod } },
      { token: await token(user) },
    );

  /** What the upstreams hold for one checkout key: the oracle for "nothing is lost". */
  const sideEffects = (user: string, key: string) => {
    const data = stack.upstreams.data;
    const payments = data.payments.filter((p) => p.reference === `${user}:${key}`);
    const orders = data.orders.filter((o) => payments.some((p) => p.id === o.paymentId));
    return {
      held: stack.upstreams.inventory.held().length,
      payments: payments.map((p) => p.status),
      orders: orders.map((o) => o.status),
    };
  };
  const NOTHING_LEFT = { held: 0, payments: [], orders: [] };
  const errorCode = (res: GraphQLResponse<unknown>) =>
    res.body.errors?.map((e) => `${e.extensions?.code}:${e.extensions?.service}`);

  test("success: one order, paid, stock taken", async () => {
    const { user, key } = fresh();
    const before = stockOf(stack.upstreams.data, "p-0500") as number;
    const res = await checkout(user, key, [{ productId: "p-0500", quantity: 3 }]);
    expect(res.body.data?.checkout.order).toMatchObject({ status: "PAID", payment: { status: "SUCCEEDED" } });
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
    expect(stockOf(stack.upstreams.data, "p-0500")).toBe(before - 3);
  });

  test("the same key twice makes one order and one charge, and returns the same order", async () => {
    const { user, key } = fresh();
    const first = await checkout(user, key, [{ productId: "p-0501", quantity: 1 }]);
    const again = await checkout(user, key, [{ productId: "p-0501", quantity: 1 }]);
    expect(again.body.data?.checkout.order?.id).toBe(first.body.data?.checkout.order?.id);
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
  });

  test("the same key sent concurrently makes one order and one charge", async () => {
    const { user, key } = fresh();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => checkout(user, key, [{ productId: "p-0502", quantity: 1 }])),
    );
    const ids = new Set(results.map((r) => r.body.data?.checkout.order?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.stringMatching(/^o-/));
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
  });

  test("another user's same key is another checkout", async () => {
    const a = fresh();
    const b = fresh();
    const first = await checkout(a.user, "shared-key", [{ productId: "p-0503", quantity: 1 }]);
    const second = await checkout(b.user, "shared-key", [{ productId: "p-0503", quantity: 1 }]);
    expect(second.body.data?.checkout.order?.id).not.toBe(first.body.data?.checkout.order?.id);
  });

  test("invalid input is a user error and calls nothing", async () => {
    const { user, key } = fresh();
    const res = await checkout(user, key, [{ productId: "p-0504", quantity: 0 }]);
    expect(res.body.data?.checkout).toEqual({
      order: null,
      userErrors: [{ code: "INVALID_INPUT", message: expect.any(String), field: ["items", "0", "quantity"] }],
    });
    expect(stack.upstreams.callCounts()).toEqual(NO_CALLS);
  });

  test("an unknown product is PRODUCT_NOT_FOUND", async () => {
    const { user, key } = fresh();
    const res = await checkout(user, key, [
      { productId: "p-0505", quantity: 1 },
      { productId: "p-9999", quantity: 1 },
    ]);
    expect(res.body.data?.checkout.userErrors).toEqual([
      { code: "PRODUCT_NOT_FOUND", message: expect.any(String), field: ["items", "1", "productId"] },
    ]);
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);
  });

  test("out of stock: OUT_OF_STOCK, and the other lines' holds are released", async () => {
    const { user, key } = fresh();
    const scarce = stack.upstreams.data.stock.find((s) => s.onHand <= 2) as { productId: string; onHand: number };
    const res = await checkout(user, key, [
      { productId: "p-0506", quantity: 1 },
      { productId: scarce.productId, quantity: scarce.onHand + 1 },
    ]);
    expect(res.body.data?.checkout).toEqual({
      order: null,
      userErrors: [{ code: "OUT_OF_STOCK", message: expect.any(String), field: ["items", "1", "quantity"] }],
    });
    expect(stack.upstreams.inventory.reservations.size).toBeGreaterThan(0);
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);
  });

  test("reservation gets no answer (inventory down): nothing held or charged; it waits, then a retry finds it cancelled", async () => {
    const { user, key } = fresh();
    stack.upstreams.services.inventory.setFaults({ mode: "down", only: "^/reservations" });
    const res = await checkout(user, key, [{ productId: "p-0507", quantity: 1 }]);
    expect(errorCode(res)).toEqual(["CHECKOUT_IN_PROGRESS:inventory"]);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ retryable: true, reason: "upstream_unavailable" });
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);

    // The hold in doubt is settled by replaying its key, then released: the checkout ends CANCELLED.
    stack.upstreams.services.inventory.setFaults({ mode: "ok", only: null });
    for (const _ of [1, 2]) {
      const retried = await checkout(user, key, [{ productId: "p-0507", quantity: 1 }]);
      expect(errorCode(retried)).toEqual(["CHECKOUT_CANCELLED:inventory"]);
      expect(retried.body.errors?.[0]?.extensions).toMatchObject({ retryable: false, reason: "upstream_unavailable" });
    }
    expect(sideEffects(user, key)).toEqual(NOTHING_LEFT);
  });

  test("payment declined: PAYMENT_DECLINED, holds released, no order; the same key answers the same, a new key may succeed", async () => {
    const { user, key } = fresh();
    const declined = await checkout(user, key, [{ productId: "p-0508", quantity: 1 }], "pm_card_declined");
    expect(declined.body.data?.checkout).toEqual({
      order: null,
      userErrors: [{ code: "PAYMENT_DECLINED", message: expect.any(String), field: ["paymentMethod"] }],
    });
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["declined"], orders: [] });

    const again = await checkout(user, key, [{ productId: "p-0508", quantity: 1 }], "pm_card_visa");
    expect(again.body.data).toEqual(declined.body.data);
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["declined"], orders: [] });

    const fresher = await checkout(user, `${key}-b`, [{ productId: "p-0508", quantity: 1 }], "pm_card_visa");
    expect(fresher.body.data?.checkout.order?.status).toBe("PAID");
  });

  test("payment service down: nothing charged, the holds wait; the retry after payments recovers charges once and completes", async () => {
    const { user, key } = fresh();
    stack.upstreams.services.payments.setFaults({ mode: "down" });
    const res = await checkout(user, key, [{ productId: "p-0509", quantity: 1 }]);
    expect(errorCode(res)).toEqual(["CHECKOUT_IN_PROGRESS:payments"]);
    expect(sideEffects(user, key)).toEqual({ held: 1, payments: [], orders: [] });

    stack.upstreams.services.payments.setFaults({ mode: "ok" });
    const retried = await checkout(user, key, [{ productId: "p-0509", quantity: 1 }]);
    expect(retried.body.data?.checkout.order?.status).toBe("PAID");
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
    const keys = stack.upstreams.services.payments.calls.map((c) => c.headers["idempotency-key"]).filter(Boolean);
    expect(new Set(keys)).toEqual(new Set([`${user}:${key}:charge`]));
  });

  test("order service down after the charge: the checkout goes forward, not back; the retry completes it with one order and one charge", async () => {
    const { user, key } = fresh();
    stack.upstreams.services.orders.setFaults({ mode: "down" });
    const res = await checkout(user, key, [{ productId: "p-0510", quantity: 2 }]);
    expect(errorCode(res)).toEqual(["CHECKOUT_IN_PROGRESS:orders"]);
    expect(sideEffects(user, key)).toEqual({ held: 1, payments: ["succeeded"], orders: [] });

    stack.upstreams.services.orders.setFaults({ mode: "ok" });
    const retried = await checkout(user, key, [{ productId: "p-0510", quantity: 2 }]);
    expect(retried.body.data?.checkout.order?.status).toBe("PAID");
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
  });

  test("commit fails after the order is paid: the answer is still the paid order; the commit is retried and takes the stock once", async () => {
    const { user, key } = fresh();
    const before = stockOf(stack.upstreams.data, "p-0511") as number;
    stack.upstreams.services.inventory.setFaults({ mode: "down", only: "/commit$" });
    const res = await checkout(user, key, [{ productId: "p-0511", quantity: 1 }]);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.checkout.order).toMatchObject({ status: "PAID", payment: { status: "SUCCEEDED" } });
    expect(sideEffects(user, key)).toEqual({ held: 1, payments: ["succeeded"], orders: ["paid"] });
    expect(stockOf(stack.upstreams.data, "p-0511")).toBe(before);

    stack.upstreams.services.inventory.setFaults({ mode: "ok", only: null });
    const retried = await checkout(user, key, [{ productId: "p-0511", quantity: 1 }]);
    expect(retried.body.data?.checkout.order?.id).toBe(res.body.data?.checkout.order?.id);
    expect(sideEffects(user, key)).toEqual({ held: 0, payments: ["succeeded"], orders: ["paid"] });
    expect(stockOf(stack.upstreams.data, "p-0511")).toBe(before - 1);
    expect((await stack.server.checkout.journal.get(`${user}:${key}`))?.state).toBe("COMPLETED");
  });

  test("anonymous callers cannot check out", async () => {
    const res = await stack.post(CheckoutDocument, {
      input: { items: [{ productId: "p-0512", quantity: 1 }], idempotencyKey: "anon", paymentMethod: "pm_card_visa" },
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(stack.upstreams.callCounts().inventory).toBe(0);
  });
});

describe("checkout when the request's deadline runs out", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { REQUEST_DEADLINE_MS: "400", PAYMENTS_TIMEOUT_MS: "60000" } });
  });
  afterAll(() => stack.close());

  test("a hanging payment service: the charge is in doubt, the checkout waits; a retry replays the same charge key", async () => {
    stack.upstreams.services.payments.setFaults({ mode: "hang" });
    const input = {
      items: [{ productId: "p-0520", quantity: 1 }],
      idempotencyKey: "deadline-1",
      paymentMethod: "pm_card_visa",
    };
    const res = await stack.post(CheckoutDocument, { input }, { token: await token("u-0190") });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: "CHECKOUT_IN_PROGRESS",
      reason: "upstream_timeout",
      service: "payments",
    });
    expect(stack.upstreams.inventory.held()).toHaveLength(1);

    stack.upstreams.services.payments.setFaults({ mode: "ok" });
    const retried = await stack.post(CheckoutDocument, { input }, { token: await token("u-0190") });
    expect(retried.body.data?.checkout.order?.status).toBe("PAID");
    const keys = stack.upstreams.services.payments.calls.map((c) => c.headers["idempotency-key"]).filter(Boolean);
    expect(new Set(keys).size).toBe(1); // the charge that got no answer and its retry used one key
  });
});

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
