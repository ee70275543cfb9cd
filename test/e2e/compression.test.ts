import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { print } from "graphql";
import { CatalogAdminDocument } from "../../operations/generated/graphql";
import { rawRequest, type RawResponse } from "../support/raw-http";
import { startStack, type Json, type Stack } from "../support/stack";
import { adminToken } from "../support/tokens";

const CATALOG_ADMIN = print(CatalogAdminDocument);

const decode = (res: RawResponse): string => {
  const encoding = res.headers["content-encoding"];
  const raw =
    encoding === "br" ? brotliDecompressSync(res.body) : encoding === "gzip" ? gunzipSync(res.body) : res.body;
  return raw.toString("utf8");
};

describe("response compression (gzip and brotli over 1 KB, by Accept-Encoding)", () => {
  let stack: Stack;
  let auth: string;
  beforeAll(async () => {
    [stack, auth] = await Promise.all([startStack(), adminToken()]);
  });
  afterAll(() => stack.close());

  const ask = (acceptEncoding: string | null, query = CATALOG_ADMIN, variables: object = { first: 50 }) =>
    rawRequest(stack.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${auth}`,
        ...(acceptEncoding === null ? {} : { "accept-encoding": acceptEncoding }),
      },
      body: JSON.stringify({ query, variables }),
    });

  test("CatalogAdmin(first: 50): the same JSON, several times smaller, with Content-Length and Vary", async () => {
    const identity = await ask(null);
    const br = await ask("gzip, deflate, br");
    const gzip = await ask("gzip");
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(br.headers["content-encoding"]).toBe("br");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    const json = JSON.parse(decode(identity));
    expect(json.data.products.nodes.length).toBeGreaterThan(0);
    for (const res of [br, gzip]) {
      // The same products (nested fields of a secondary service may degrade to null under load; extensions.cost differs).
      const products = (body: Json) => (body.data.products.nodes as Json[]).map((n) => [n.id, n.sku, n.name, n.price]);
      expect(products(JSON.parse(decode(res)) as Json)).toEqual(products(json));
      expect(Number(res.headers["content-length"])).toBe(res.body.length);
      expect(res.headers.vary).toContain("Accept-Encoding");
    }
    // Seeded data, so stable figures (docs/clients/operations.md): identity 26,983 B, gzip 4,949 B, brotli 4,501 B.
    expect(gzip.body.length).toBeLessThan(identity.body.length / 3);
    expect(br.body.length).toBeLessThan(gzip.body.length);
  });

  test.each([
    ["br;q=0.5, gzip", "gzip"],
    ["gzip;q=0, br", "br"],
    ["identity", undefined],
    ["br;q=0, gzip;q=0", undefined],
    ["*", "br"],
    ["deflate", undefined],
  ])("Accept-Encoding %j gets %s", async (acceptEncoding, expected) => {
    const res = await ask(
      acceptEncoding,
      "query Names($first: Int!) { products(first: $first) { nodes { id name description } } }",
      { first: 20 },
    );
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe(expected);
    expect(JSON.parse(decode(res)).data.products.nodes).toHaveLength(20);
  });

  test("a response under 1 KB is sent as is", async () => {
    const res = await ask("br, gzip", "query One($first: Int!) { products(first: $first) { nodes { id } } }", {
      first: 1,
    });
    expect(res.body.length).toBeLessThan(1024);
    expect(res.headers["content-encoding"]).toBeUndefined();
  });
});

describe("COMPRESSION_MIN_BYTES=0 turns it off", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { COMPRESSION_MIN_BYTES: "0" } });
  });
  afterAll(() => stack.close());

  test("even a large answer goes out uncompressed", async () => {
    const res = await rawRequest(stack.url, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-encoding": "br, gzip" },
      body: JSON.stringify({ query: "{ products(first: 50) { nodes { id name description } } }" }),
    });
    expect(res.body.length).toBeGreaterThan(2048);
    expect(res.headers["content-encoding"]).toBeUndefined();
  });
});
