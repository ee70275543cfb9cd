// Look-ahead over real HTTP: a call that needs only what the request already holds (the caller's
// id, an id argument, an item's product id) starts beside its parent's call, not after its answer.
import { dependentWaves } from "../../bench/cold-probe";
import {
  CustomerDetailDocument,
  DashboardOverviewDocument,
  MyOrdersDocument,
  ProductDetailDocument,
} from "../../operations/generated/graphql";
import { parseConfig } from "../../src/config";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";

describe("look-ahead: independent upstream calls never wait for each other", () => {
  let upstreams: Upstreams;
  let stack: Stack;
  beforeAll(async () => {
    // A latency every call waits, so that a call made after another's answer is seen as a wave of its own.
    upstreams = await startUpstreams({ apiKeys: parseConfig({}).apiKeys, latencyMs: 25 });
    stack = await startStack({ upstreams });
  });
  afterAll(async () => {
    await stack.close();
    await upstreams.close();
  });

  /** The traced calls of one request, by service and path, and its dependent waves. */
  function trace(requestId: string) {
    const calls = SERVICE_NAMES.flatMap((s) => upstreams.services[s].traced.filter((c) => c.requestId === requestId));
    const start = (service: string) => calls.find((c) => c.service === service)?.startMs;
    const end = (service: string) => calls.find((c) => c.service === service)?.endMs;
    return { calls, waves: dependentWaves(calls), start, end };
  }

  test("MyOrders: the account and the caller's orders at once, then the items' products", async () => {
    const res = await stack.post(
      MyOrdersDocument,
      { first: 5 },
      { token: await token("u-0003"), headers: { "x-request-id": "trace-look-ahead-1" } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.me?.orders?.nodes.length).toBeGreaterThan(0);
    const { calls, waves, start, end } = trace("trace-look-ahead-1");
    expect(calls.map((c) => c.service).sort()).toEqual(["accounts", "catalog", "orders"]);
    expect(start("orders")).toBeLessThan(end("accounts") as number); // asked before the account came back
    expect(waves).toBe(2);
  });

  test("CustomerDetail: the user and their orders at once, then the orders' payments", async () => {
    const res = await stack.post(
      CustomerDetailDocument,
      { id: "u-0004" }, // not the user above: a cached account has nothing to wait for
      { token: await adminToken(), headers: { "x-request-id": "trace-look-ahead-2" } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.user?.orders?.nodes.length).toBeGreaterThan(0);
    const { waves, start, end } = trace("trace-look-ahead-2");
    expect(start("orders")).toBeLessThan(end("accounts") as number);
    expect(waves).toBe(2);
  });

  test("ProductDetail: the product, its stock, rating and reviews at once, then category and authors", async () => {
    const res = await stack.post(
      ProductDetailDocument,
      { id: "p-0042" },
      { headers: { "x-request-id": "trace-look-ahead-3" } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.product).toMatchObject({ id: "p-0042", stock: expect.any(Object) });
    const { calls, waves } = trace("trace-look-ahead-3");
    const catalog = calls.filter((c) => c.service === "catalog").sort((a, b) => a.startMs - b.startMs)[0];
    const beside = calls.filter((c) => c.service === "inventory" || c.service === "reviews");
    expect(beside.length).toBeGreaterThanOrEqual(2);
    for (const call of beside) expect(call.startMs).toBeLessThan(catalog?.endMs as number);
    expect(waves).toBe(2);
  });

  test("DashboardOverview: the items' stock beside their products; an idle service's per-id calls all at once", async () => {
    const res = await stack.post(
      DashboardOverviewDocument,
      { first: 20 },
      { token: await adminToken(), headers: { "x-request-id": "trace-look-ahead-4" } },
    );
    expect(res.body.errors).toBeUndefined();
    const { calls } = trace("trace-look-ahead-4");
    const productsCall = calls.find((c) => c.service === "catalog");
    const stockCalls = calls.filter((c) => c.service === "inventory" && !c.path.startsWith("/stock/low"));
    expect(productsCall).toBeDefined();
    expect(stockCalls.length).toBeGreaterThan(0);
    for (const call of stockCalls) expect(call.startMs).toBeLessThan(productsCall?.endMs as number);
    // Payments has no batch endpoint: a call per order. The service is idle, so all go out at once,
    // more than UPSTREAM_FANOUT_CONCURRENCY (8) would allow under load (datasources/shared/fan-out.ts).
    const payments = calls.filter((c) => c.service === "payments");
    expect(payments.length).toBeGreaterThan(8);
    const firstAnswer = Math.min(...payments.map((c) => c.endMs));
    for (const call of payments) expect(call.startMs).toBeLessThan(firstAnswer);
  });
});
