// How the BFF proves who it is to upstreams, for real: OAuth 2.0 client credentials against the
// demo token endpoint.
import { writeFileSync } from "node:fs";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { FakeClock } from "../support/clock";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";
import { errorsOf, MY_ORDERS, noRetries, perService, scratchFiles } from "../support/upstream-credentials";

const file = scratchFiles();

describe("OAuth 2.0 client credentials to the upstreams", () => {
  const TTL_S = 300;
  const SKEW_S = 30;
  const clock = new FakeClock();
  const clients = new Map([["storefront-bff", "client-secret-1"]]);
  let upstreams: Upstreams;
  let stack: Stack;
  let secretFile: string;

  beforeAll(async () => {
    upstreams = await startUpstreams({
      apiKeys: Object.fromEntries(SERVICE_NAMES.map((s) => [s, `dev-${s}-key`])) as Record<
        (typeof SERVICE_NAMES)[number],
        string
      >,
      now: clock.now,
      oauth: { clients, ttlSeconds: TTL_S },
    });
    secretFile = file("orders-client-secret", "client-secret-1\n");
    stack = await startStack({
      upstreams,
      clock,
      env: {
        ...noRetries,
        OAUTH_TOKEN_REFRESH_SKEW_SECONDS: String(SKEW_S),
        SECRET_FILE_POLL_MS: "20",
        ...perService((p) => ({
          [`${p}_OAUTH_TOKEN_URL`]: upstreams.tokenUrl as string,
          [`${p}_OAUTH_CLIENT_ID`]: "storefront-bff",
          [`${p}_OAUTH_SCOPE`]: "storefront",
          ...(p === "ORDERS"
            ? { ORDERS_OAUTH_CLIENT_SECRET_FILE: secretFile }
            : { [`${p}_OAUTH_CLIENT_SECRET`]: "client-secret-1" }),
        })),
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await upstreams.close();
  });
  const myOrders = async () => (await stack.gql(MY_ORDERS, { first: 2 }, { token: await token("u-0001") })).body;
  const orders = () => stack.server.credentials.orders.oauth!;

  test("one token request serves many calls, each with the bearer token the upstream checks", async () => {
    const bodies = await Promise.all(Array.from({ length: 10 }, myOrders));
    bodies.forEach((body) => expect(body.errors).toBeUndefined());
    const calls = upstreams.services.orders.calls;
    expect(calls).toHaveLength(10);
    expect(new Set(calls.map((c) => c.headers.authorization)).size).toBe(1);
    expect(calls[0]?.headers.authorization).toMatch(/^Bearer /);
    expect(orders().requests).toBe(1);
    // The upstream really checks it: the API key alone is refused.
    const bare = await fetch(`${upstreams.urls.orders}/orders?userId=u-0001`, {
      headers: { "x-api-key": "dev-orders-key" },
    });
    expect(bare.status).toBe(401);
  });

  test("shortly before expiry the token is replaced, once for concurrent calls", async () => {
    clock.advance((TTL_S - SKEW_S - 1) * 1000);
    await myOrders();
    expect(orders().requests).toBe(1); // still fresh enough
    clock.advance(2_000); // now inside the skew: still valid upstream, but replaced
    const bodies = await Promise.all(Array.from({ length: 5 }, myOrders));
    bodies.forEach((body) => expect(body.errors).toBeUndefined());
    expect(orders().requests).toBe(2);
  });

  test("a rotated client secret file is used by the next token request", async () => {
    const before = orders().requests;
    clients.set("storefront-bff", "client-secret-2"); // the provider rotates it, the mounted secret follows
    const seen = new Promise<void>((resolve) => {
      orders().clientSecret.onChange(() => resolve());
    });
    writeFileSync(secretFile, "client-secret-2\n");
    await seen;
    const body = await myOrders();
    expect(body.errors).toBeUndefined();
    expect(orders().requests).toBe(before + 1);
  });

  test("the token endpoint down is that upstream's failure like any other: UPSTREAM_UNAVAILABLE naming the service", async () => {
    clock.advance(TTL_S * 1000); // every cached token has expired
    upstreams.tokens?.control.setFaults({ mode: "down" });
    upstreams.reset();
    const body = await myOrders();
    // orders are never cached: the call needs a token, and the token endpoint fails (accounts' user may be served stale)
    expect(errorsOf(body)).toContainEqual({ code: "UPSTREAM_UNAVAILABLE", service: "orders" });
    expect(upstreams.callCounts().orders).toBe(0);
    upstreams.tokens?.control.setFaults({ mode: "reset" }); // no answer at all
    expect(errorsOf(await myOrders())).toContainEqual({ code: "UPSTREAM_UNAVAILABLE", service: "orders" });
    upstreams.tokens?.control.setFaults({ mode: "ok" });
    expect((await myOrders()).errors).toBeUndefined();
  });
});
