import { CatalogAdminDocument, MyOrdersDocument, ProductDetailDocument } from "../../operations/generated/graphql";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { roleChecks } from "../../src/auth/auth-checker";
import type { Context } from "../../src/context";
import { startStack, type Json, type Stack } from "../support/stack";
import { token } from "../support/tokens";

const COST_PRICES = "query CostPrices { products(first: 100) { nodes { id costPrice { amount } } } }";

describe("authorization by role is decided once per field and request", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { MAX_QUERY_COST: "5000" } });
  });
  afterAll(() => stack.close());

  test("an admin reads 100 cost prices with one role check, not 100", async () => {
    const before = roleChecks.count;
    const res = await stack.gql<Json>(COST_PRICES, {}, { token: await token("u-0050", { role: "admin" }) });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.products.nodes).toHaveLength(100);
    expect(res.body.data?.products.nodes.every((p: Json) => typeof p.costPrice.amount === "number")).toBe(true);
    expect(roleChecks.count - before).toBe(1);
  });

  test("a customer is still denied item by item, with one role check", async () => {
    const before = roleChecks.count;
    const res = await stack.gql<Json>(COST_PRICES, {}, { token: await token("u-0003") });
    expect(roleChecks.count - before).toBe(1);
    const nodes = res.body.data?.products.nodes as Json[];
    expect(nodes).toHaveLength(100);
    expect(nodes.every((p) => p.costPrice === null && typeof p.id === "string")).toBe(true);
    expect(res.body.errors).toHaveLength(100);
    expect(res.body.errors?.map((e) => e.path)).toEqual(nodes.map((_, i) => ["products", "nodes", i, "costPrice"]));
    expect(new Set(res.body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(["FORBIDDEN"]));
  });
});

describe("nothing of a request outlives it", () => {
  const contexts: Array<WeakRef<Context>> = [];
  const deadlines: Array<WeakRef<AbortSignal>> = []; // held by the deadline timer until it is cleared
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { REQUEST_DEADLINE_MS: "60000" },
      overrides: {
        onContext: (context) => {
          contexts.push(new WeakRef(context));
          deadlines.push(new WeakRef(context.deadline));
        },
      },
    });
  });
  afterAll(() => stack.close());

  test("after 300 requests of every kind, no context and no deadline timer is still reachable", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const customer = await token("u-0003");
    const admin = await token("u-0050", { role: "admin" });
    for (let i = 0; i < 100; i++) {
      const id = `p-${String(1 + i).padStart(4, "0")}`; // distinct: a repeated anonymous query would be an edge answer, without a context
      await Promise.all([
        stack.post(ProductDetailDocument, { id }),
        stack.post(MyOrdersDocument, { first: 5 }, { token: customer }),
        stack.post(CatalogAdminDocument, { first: 10 }, { token: admin }),
      ]);
    }
    expect(contexts).toHaveLength(300);
    const alive = () => [...contexts, ...deadlines].filter((ref) => ref.deref() !== undefined);
    for (let i = 0; i < 5 && alive().length > 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(alive()).toHaveLength(0);
    expect(Object.values(stack.server.clients).map((c) => c.inFlight)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
