import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import {
  MalformedEventError,
  webhookReceiver,
  type WebhookEvent,
  type WebhookInbox,
} from "../../../src/webhooks/receiver";

const OLD = `whsec_${Buffer.from("the-old-payments-secret").toString("base64")}`;
const NEW = `whsec_${Buffer.from("the-new-payments-secret").toString("base64")}`;
const FORGED = `whsec_${Buffer.from("someone-else-entirely").toString("base64")}`;

describe("the Standard Webhooks receiver (node:http, real signatures)", () => {
  let server: Server;
  let base: string;
  const handled: WebhookEvent[] = [];
  let failNext: Error | null = null;
  const seen = new Set<string>();
  const inbox: WebhookInbox = {
    claimMessage: async (service, id) => (seen.has(`${service}/${id}`) ? false : (seen.add(`${service}/${id}`), true)),
    forgetMessage: async (service, id) => {
      seen.delete(`${service}/${id}`);
    },
  };

  beforeAll(async () => {
    const receive = webhookReceiver({
      secretsFor: (service) => (service === "payments" ? [NEW, OLD] : []), // rotating: both verify
      handlers: {
        payments: async (event) => {
          if (failNext) {
            const error = failNext;
            failNext = null;
            throw error;
          }
          handled.push(event);
        },
        catalog: async () => undefined,
      },
      inbox,
      logger: pino({ level: "silent" }),
      maxBodyBytes: 1024,
    });
    server = createServer((req, res) => void receive(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    handled.length = 0;
  });

  let n = 0;
  const send = async (
    options: {
      secret?: string;
      at?: Date;
      id?: string;
      body?: string;
      path?: string;
      headers?: Record<string, string>;
      method?: string;
    } = {},
  ) => {
    n += 1;
    const id = options.id ?? `msg_${n}`;
    const at = options.at ?? new Date();
    const body =
      options.body ??
      JSON.stringify({
        type: "payment.succeeded",
        timestamp: at.toISOString(),
        data: { id: `pay-${n}`, reference: "u-1:k" },
      });
    const signature = new Webhook(options.secret ?? NEW).sign(id, at, body);
    const res = await fetch(`${base}${options.path ?? "/webhooks/payments"}`, {
      method: options.method ?? "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
        ...options.headers,
      },
      body: options.method === "GET" ? undefined : body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, id };
  };

  test("a signed message is handled once, with its service, id, type and data", async () => {
    const { status, body, id } = await send();
    expect({ status, body }).toEqual({ status: 200, body: { status: "accepted" } });
    expect(handled).toEqual([
      {
        service: "payments",
        id,
        type: "payment.succeeded",
        timestamp: expect.any(String),
        data: { id: expect.stringMatching(/^pay-/), reference: "u-1:k" },
      },
    ]);
  });

  test("during a rotation the old secret still verifies; several signatures, one valid, verify too", async () => {
    expect((await send({ secret: OLD })).status).toBe(200);
    const at = new Date();
    const body = JSON.stringify({ type: "payment.refunded", data: { id: "pay-x", reference: "u-1:k" } });
    const valid = new Webhook(OLD).sign("msg_multi", at, body);
    const res = await send({
      id: "msg_multi",
      at,
      body,
      headers: { "webhook-signature": `v1,bm90LXRoaXMtb25l ${valid}` },
    });
    expect(res.status).toBe(200);
    expect(handled).toHaveLength(2);
  });

  test("forged: 401, not handled", async () => {
    expect(await send({ secret: FORGED })).toMatchObject({
      status: 401,
      body: { code: "UNAUTHENTICATED", message: "no signature matches" },
    });
    expect(handled).toEqual([]);
  });

  test("a body changed after signing: 401", async () => {
    const at = new Date();
    const signature = new Webhook(NEW).sign(
      "msg_tampered",
      at,
      '{"type":"payment.succeeded","data":{"id":"pay-1","reference":"a"}}',
    );
    const res = await send({
      id: "msg_tampered",
      at,
      body: '{"type":"payment.succeeded","data":{"id":"pay-1","reference":"b"}}',
      headers: { "webhook-signature": signature },
    });
    expect(res.status).toBe(401);
  });

  test("stale (more than 5 minutes old) or from the future: 401, even correctly signed", async () => {
    expect(await send({ at: new Date(Date.now() - 6 * 60_000) })).toMatchObject({
      status: 401,
      body: { message: expect.stringContaining("5 minutes") },
    });
    expect((await send({ at: new Date(Date.now() + 6 * 60_000) })).status).toBe(401);
    expect(handled).toEqual([]);
  });

  test("replayed webhook-id: 2xx and no effect", async () => {
    const first = await send({ id: "msg_replayed" });
    const again = await send({ id: "msg_replayed" });
    expect([first.status, again.status, again.body]).toEqual([200, 200, { status: "duplicate" }]);
    expect(handled).toHaveLength(1);
  });

  test("malformed: 400 for a body that is not JSON, lacks type or data, or headers that are missing", async () => {
    expect(await send({ body: "not json" })).toMatchObject({
      status: 400,
      body: { code: "BAD_REQUEST", message: "the body is not JSON" },
    });
    expect((await send({ body: JSON.stringify({ type: "payment.succeeded" }) })).status).toBe(400);
    expect((await send({ body: JSON.stringify({ data: {} }) })).status).toBe(400);
    const res = await fetch(`${base}/webhooks/payments`, { method: "POST", body: "{}" });
    expect(res.status).toBe(400);
    expect(handled).toEqual([]);
  });

  test("a handler that rejects the data: 400; a handler that fails: 503, and the redelivery is processed", async () => {
    failNext = new MalformedEventError("payment events carry {id, reference}");
    expect(await send({ id: "msg_bad_data" })).toMatchObject({
      status: 400,
      body: { message: "payment events carry {id, reference}" },
    });
    failNext = new Error("busy");
    expect((await send({ id: "msg_retry" })).status).toBe(503);
    expect((await send({ id: "msg_retry" })).body).toEqual({ status: "accepted" });
    expect(handled.map((e) => e.id)).toEqual(["msg_retry"]);
  });

  test("a service without handler or secret: 404; a GET: 405; an oversized body: 413", async () => {
    expect((await send({ path: "/webhooks/catalog" })).status).toBe(404); // handler, but no secret configured
    expect((await send({ path: "/webhooks/nothing" })).status).toBe(404);
    expect((await send({ method: "GET" })).status).toBe(405);
    expect((await send({ body: JSON.stringify({ type: "x", data: { pad: "x".repeat(2000) } }) })).status).toBe(413);
  });
});
