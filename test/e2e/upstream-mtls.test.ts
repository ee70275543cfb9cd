// How the BFF proves who it is to upstreams, for real: mutual TLS with certificates made here.
import { generate } from "selfsigned";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { startStack, type Json, type Stack } from "../support/stack";
import { token } from "../support/tokens";
import { errorsOf, MY_ORDERS, noRetries, perService, scratchFiles } from "../support/upstream-credentials";

const file = scratchFiles();

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
