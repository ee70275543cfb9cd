// How the BFF proves who it is to upstreams, for real: mutual TLS with certificates made here,
// OAuth 2.0 client credentials against the demo token endpoint.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { FakeClock } from "../support/clock";
import { loadOperations } from "../support/operations";
import { startStack, type Json, type Stack } from "../support/stack";
import { token } from "../support/tokens";

const MY_ORDERS = loadOperations().MyOrders as string;
const dir = mkdtempSync(join(tmpdir(), "bff-credentials-"));
const file = (name: string, content: string): string => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
const perService = (vars: (prefix: string) => Record<string, string>): Record<string, string> =>
  Object.assign({}, ...SERVICE_NAMES.map((s) => vars(s.toUpperCase())));
const noRetries = perService((p) => ({ [`${p}_RETRIES`]: "0" }));
const errorsOf = (body: Json): Array<{ code: string; service?: string }> =>
  (body.errors ?? []).map((e: Json) => ({ code: e.extensions.code, service: e.extensions.service }));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function authority(name: string) {
  return generate([{ name: "commonName", value: name }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
}
async function issued(ca: { private: string; cert: string }, commonName: string, usage: "serverAuth" | "clientAuth") {
  return generate([{ name: "commonName", value: commonName }], {
    keyType: "ec",
    algorithm: "sha256",
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "extKeyUsage", [usage]: true },
      ...(usage === "serverAuth"
        ? [{ name: "subjectAltName" as const, altNames: [{ type: 7 as const, ip: "127.0.0.1" }] }]
        : []),
    ],
  });
}

describe("mutual TLS to the upstreams (certificates made at test time)", () => {
  let upstreams: Upstreams;
  const stacks: Stack[] = [];
  let env: { ca: string; cert: string; key: string; otherCert: string; otherKey: string };

  beforeAll(async () => {
    const ca = await authority("storefront test CA");
    const otherCa = await authority("someone else's CA");
    const [server, client, stranger] = await Promise.all([
      issued(ca, "upstream", "serverAuth"),
      issued(ca, "storefront-bff", "clientAuth"),
      issued(otherCa, "storefront-bff", "clientAuth"),
    ]);
    upstreams = await startUpstreams({
      apiKeys: Object.fromEntries(SERVICE_NAMES.map((s) => [s, `dev-${s}-key`])) as Record<
        (typeof SERVICE_NAMES)[number],
        string
      >,
      tls: { key: server.private, cert: server.cert, ca: ca.cert },
    });
    env = {
      ca: file("ca.pem", ca.cert),
      cert: file("client.pem", client.cert),
      key: file("client-key.pem", client.private),
      otherCert: file("other.pem", stranger.cert),
      otherKey: file("other-key.pem", stranger.private),
    };
  }, 30_000);
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.close()));
    await upstreams.close();
  });
  const bff = async (vars: (prefix: string) => Record<string, string>): Promise<Stack> => {
    const stack = await startStack({ upstreams, env: { ...noRetries, ...perService(vars) } });
    stacks.push(stack);
    return stack;
  };

  test("with the BFF's client certificate, every upstream answers over HTTPS", async () => {
    expect(upstreams.urls.orders).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const stack = await bff((p) => ({
      [`${p}_TLS_CA_FILE`]: env.ca,
      [`${p}_TLS_CERT_FILE`]: env.cert,
      [`${p}_TLS_KEY_FILE`]: env.key,
    }));
    const { body } = await stack.gql(MY_ORDERS, { first: 2 }, { token: await token("u-0001") });
    expect(body.errors).toBeUndefined();
    expect((body.data as Json).me.orders.nodes.length).toBeGreaterThan(0);
  });

  test("without a client certificate the handshake is refused: UPSTREAM_UNAVAILABLE naming the service", async () => {
    upstreams.reset();
    const stack = await bff((p) => ({ [`${p}_TLS_CA_FILE`]: env.ca }));
    const { body } = await stack.gql(MY_ORDERS, { first: 2 }, { token: await token("u-0001") });
    expect(errorsOf(body)).toContainEqual({ code: "UPSTREAM_UNAVAILABLE", service: "accounts" });
    expect(upstreams.callCounts().accounts).toBe(0); // no request got past the handshake
  });

  test("a client certificate from another CA is refused too", async () => {
    upstreams.reset();
    const stack = await bff((p) => ({
      [`${p}_TLS_CA_FILE`]: env.ca,
      [`${p}_TLS_CERT_FILE`]: env.otherCert,
      [`${p}_TLS_KEY_FILE`]: env.otherKey,
    }));
    const { body } = await stack.gql(MY_ORDERS, { first: 2 }, { token: await token("u-0001") });
    expect(errorsOf(body)).toContainEqual({ code: "UPSTREAM_UNAVAILABLE", service: "accounts" });
    expect(upstreams.callCounts().accounts).toBe(0); // no request got past the handshake
  });

  test("the BFF checks the upstream's certificate as well: without the CA it refuses to talk", async () => {
    const stack = await bff((p) => ({ [`${p}_TLS_CERT_FILE`]: env.cert, [`${p}_TLS_KEY_FILE`]: env.key }));
    const { body } = await stack.gql(MY_ORDERS, { first: 2 }, { token: await token("u-0001") });
    expect(errorsOf(body)).toContainEqual({ code: "UPSTREAM_UNAVAILABLE", service: "accounts" });
  });
});

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
