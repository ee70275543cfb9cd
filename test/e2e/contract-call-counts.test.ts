import { loadOperations } from "../support/operations";
import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";
import type { ServiceName } from "../../src/services";

const ops = loadOperations();

/** Every service of services.json: a seventh makes `c` below fail to compile until it is counted. */
type Counts = Record<ServiceName, number>;

interface Case {
  readonly variables: Record<string, unknown>;
  readonly as: "anonymous" | "customer" | "admin";
  /** Upstream calls of the first request (cold caches), then of the same request again (warm). */
  readonly cold: Counts;
  readonly warm: Counts;
}

const c = (
  catalog: number,
  inventory: number,
  reviews: number,
  accounts: number,
  orders: number,
  payments: number,
): Counts => ({ catalog, inventory, reviews, accounts, orders, payments });

/**
 * Every contract read operation, cold and warm, as signed-in callers (past the whole-response
 * cache), with the exact number of upstream calls per service. These numbers are the request
 * path's contract: batching and caching must never regress them.
 */
const CASES: Record<string, Case> = {
  Categories: { variables: {}, as: "customer", cold: c(1, 0, 0, 0, 0, 0), warm: c(0, 0, 0, 0, 0, 0) },
  ProductList: { variables: { first: 20 }, as: "customer", cold: c(1, 1, 1, 0, 0, 0), warm: c(0, 0, 0, 0, 0, 0) },
  ProductDetail: { variables: { id: "p-0042" }, as: "customer", cold: c(2, 1, 2, 1, 0, 0), warm: c(0, 0, 0, 0, 0, 0) },
  MyOrders: { variables: { first: 10 }, as: "customer", cold: c(1, 0, 0, 1, 1, 0), warm: c(0, 0, 0, 0, 1, 0) },
  CatalogAdmin: { variables: { first: 50 }, as: "admin", cold: c(2, 1, 2, 84, 0, 0), warm: c(0, 0, 0, 0, 0, 0) },
  CustomerDetail: { variables: { id: "u-0007" }, as: "admin", cold: c(0, 0, 0, 1, 1, 2), warm: c(0, 0, 0, 0, 1, 2) },
  DashboardOverview: { variables: { first: 20 }, as: "admin", cold: c(2, 2, 0, 4, 1, 16), warm: c(0, 0, 0, 0, 1, 16) },
};

describe("upstream calls of every contract operation, cold and warm", () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  test.each(Object.entries(CASES))("%s", async (name, { variables, as, cold, warm }) => {
    const auth =
      as === "admin" ? { token: await adminToken() } : as === "customer" ? { token: await token("u-0003") } : {};
    const first = await stack.gql(ops[name] as string, variables, auth);
    expect(first.body.errors).toBeUndefined();
    expect(stack.upstreams.callCounts()).toEqual(cold);
    stack.upstreams.reset();
    const again = await stack.gql(ops[name] as string, variables, auth);
    expect(again.body.data).toEqual(first.body.data);
    expect(stack.upstreams.callCounts()).toEqual(warm);
  });
});
