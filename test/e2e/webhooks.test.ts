import { ProductDetailDocument } from "../../operations/generated/graphql";
import { postDocument } from "../support/typed-post";
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { devWebhookSecret } from "../../src/config/credentials-config";
import type { BffServer } from "../../src/server";
import { describeWithRedis, postGraphQL, startStack, type Stack } from "../support/stack";

const PRODUCT = "p-0007";

/** A Standard Webhooks delivery to `url`, signed with `secret`, at `at`. */
async function deliver(
  url: string,
  body: object,
  options: { secret?: string; id?: string; at?: Date } = {},
): Promise<{ status: number; id: string }> {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const text = JSON.stringify(body);
  const signature = new Webhook(options.secret ?? devWebhookSecret("catalog")).sign(id, at, text);
  const res = await fetch(`${url}/webhooks/catalog`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body: text,
  });
  await res.arrayBuffer();
  return { status: res.status, id };
}

/** Resolves when `server` applied `count` invalidations, or rejects after 1 s: the promise every replica must keep. */
function withinOneSecond(server: BffServer, count: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    server.invalidator.whenApplied(count).finally(() => clearTimeout(timer)),
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error("not invalidated within 1 s")), 1_000);
    }),
  ]);
}

describeWithRedis("webhook invalidation across three replicas on one Redis", () => {
  let stack: Stack;
  let urls: string[];
  let servers: BffServer[];
  beforeAll(async () => {
    // The services' webhook secrets (the demo catalog signs with the one it is given).
    const secrets = Object.fromEntries(
      (["catalog", "inventory", "reviews"] as const).map((service) => [
        `${service.toUpperCase()}_WEBHOOK_SECRET`,
        devWebhookSecret(service),
      ]),
    );
    stack = await startStack({ redis: true, env: secrets });
    const [b, c] = [await stack.replica(), await stack.replica()];
    urls = [stack.url, b.url, c.url];
    servers = [stack.server, b.server, c.server];
  });
  afterAll(() => stack.close());

  const priceOn = async (url: string): Promise<number> => {
    const res = await postDocument(url, ProductDetailDocument, { id: PRODUCT });
    return res.body.data?.product?.price.amount as number;
  };
  const setPrice = (cents: number): void => {
    const product = stack.upstreams.data.products.find((p) => p.id === PRODUCT);
    if (!product) throw new Error("seed product missing");
    product.priceCents = cents;
  };

  test("a signed product.updated drops the product on every replica within 1 s; forged, stale and replayed ones change nothing", async () => {
    setPrice(1_000);
    for (const url of urls) expect(await priceOn(url)).toBe(1_000); // every replica holds it (in process and in Redis)
    setPrice(2_500);
    for (const url of urls) expect(await priceOn(url)).toBe(1_000); // cached: max-age 60 s

    const before = servers.map((s) => s.invalidator.applied);
    const event = { type: "product.updated", timestamp: new Date().toISOString(), data: { id: PRODUCT } };
    // Forged (another secret), stale (6 minutes old) and unsigned-for-this-body: refused, nothing dropped.
    expect((await deliver(urls[1] as string, event, { secret: devWebhookSecret("reviews") })).status).toBe(401);
    expect((await deliver(urls[1] as string, event, { at: new Date(Date.now() - 6 * 60_000) })).status).toBe(401);
    for (const url of urls) expect(await priceOn(url)).toBe(1_000);
    expect(servers.map((s) => s.invalidator.applied)).toEqual(before);

    const accepted = await deliver(urls[1] as string, event);
    expect(accepted.status).toBe(200);
    await Promise.all(servers.map((server, i) => withinOneSecond(server, (before[i] as number) + 1)));
    for (const url of urls) expect(await priceOn(url)).toBe(2_500);

    // Replayed (same webhook-id) to another replica: accepted as a duplicate, drops nothing.
    setPrice(3_000);
    expect((await deliver(urls[2] as string, event, { id: accepted.id })).status).toBe(200);
    for (const url of urls) expect(await priceOn(url)).toBe(2_500);
    expect(servers.map((s) => s.invalidator.applied)).toEqual(before.map((n) => n + 1));
  });

  test("the entity, the list pages and whole responses holding it are dropped; the others stay", async () => {
    const list = "query Page { products(first: 5) { nodes { id price { amount } } } }";
    const first = await postGraphQL<{ products: { nodes: Array<{ id: string }> } }>(stack.url, list);
    const other = 'query OtherPage { products(first: 3, search: "zzz-none") { nodes { id } } }';
    expect((await postGraphQL(stack.url, other)).body.errors).toBeUndefined();
    const inPage = first.body.data?.products.nodes[0]?.id as string;
    expect(inPage).toMatch(/^p-/);
    const redis = stack.server.store.redis;
    const ns = stack.config.storeNamespace;
    // Redis writes are off the request path: wait (bounded) until the page and the response are there.
    let pagesBefore: string[] = [];
    let responsesBefore: string[] = [];
    for (let i = 0; i < 200 && (pagesBefore.length < 2 || responsesBefore.length < 2); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      pagesBefore = (await redis?.keys(`${ns}::catalog:products:v1:*`)) ?? [];
      responsesBefore = (await redis?.keys(`${ns}::fqc:*`)) ?? [];
    }
    expect(pagesBefore.length).toBeGreaterThanOrEqual(2);
    expect(responsesBefore.length).toBeGreaterThanOrEqual(2);

    const before = servers.map((s) => s.invalidator.applied);
    const res = await fetch(`${stack.url}/webhooks/catalog`, { method: "POST" });
    expect(res.status).toBe(400); // unsigned: no headers
    expect(
      (
        await deliver(urls[0] as string, {
          type: "product.updated",
          timestamp: new Date().toISOString(),
          data: { id: inPage },
        })
      ).status,
    ).toBe(200);
    await Promise.all(servers.map((server, i) => withinOneSecond(server, (before[i] as number) + 1)));
    expect(await redis?.exists(`${ns}::catalog:product:v1:${inPage}`)).toBe(0);
    const pagesAfter = await redis?.keys(`${ns}::catalog:products:v1:*`);
    expect(pagesAfter?.length).toBe(pagesBefore.length - 1); // the page holding it; the empty search page stays
    for (const key of pagesAfter ?? []) expect(await redis?.get(key)).not.toContain(`"${inPage}"`);
    const responsesAfter = (await redis?.keys(`${ns}::fqc:*`)) ?? [];
    expect(responsesAfter.length).toBeGreaterThan(0); // responses without it stay
    for (const key of responsesAfter) expect(await redis?.get(key)).not.toContain(inPage);
    // Every replica's next read of the page goes to catalog again.
    stack.upstreams.reset();
    expect((await postGraphQL(urls[2] as string, list)).body.errors).toBeUndefined();
    expect(
      stack.upstreams.services.catalog.calls.some((c) => c.path === "/products" && c.query.ids === undefined),
    ).toBe(true);
  });

  test("the demo catalog's back-office change reaches every replica as a signed product.updated", async () => {
    stack.upstreams.sendEventsTo(urls[1] as string, devWebhookSecret);
    for (const url of urls) await priceOn(url); // cached everywhere
    const before = servers.map((s) => s.invalidator.applied);
    const res = await fetch(`${stack.upstreams.urls.catalog}/admin/products/${PRODUCT}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-api-key": stack.config.apiKeys.catalog },
      body: JSON.stringify({ priceCents: 4_200 }),
    });
    expect(res.status).toBe(200);
    await stack.upstreams.events.catalog.idle();
    expect(stack.upstreams.events.catalog.deliveries.at(-1)).toMatchObject({
      type: "product.updated",
      data: { id: PRODUCT },
      attempts: [200],
    });
    await Promise.all(servers.map((server, i) => withinOneSecond(server, (before[i] as number) + 1)));
    for (const url of urls) expect(await priceOn(url)).toBe(4_200);
  });
});
