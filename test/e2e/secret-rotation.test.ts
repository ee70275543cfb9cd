// Secrets that rotate without a restart: an API key file rewritten while the BFF runs, and a
// webhook secret whose previous value verifies during the rotation window and not after.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { FakeClock } from "../support/clock";
import { loadOperations } from "../support/operations";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

const WINDOW_S = 600;
const OLD = `whsec_${Buffer.from("old-payments-webhook-secret-0001").toString("base64")}`;
const NEW = `whsec_${Buffer.from("new-payments-webhook-secret-0002").toString("base64")}`;
const dir = mkdtempSync(join(tmpdir(), "bff-rotation-"));
/** Replaces a mounted secret the way Kubernetes does: a new file moved into place. */
const rotate = (path: string, content: string): void => {
  writeFileSync(`${path}.next`, content);
  renameSync(`${path}.next`, path);
};
const clock = new FakeClock();
let upstreams: Upstreams;
let stack: Stack;
const keyFile = join(dir, "orders-api-key");
const webhookFile = join(dir, "payments-webhook-secret");

beforeAll(async () => {
  writeFileSync(keyFile, "orders-key-1\n");
  writeFileSync(webhookFile, `${OLD}\n`);
  upstreams = await startUpstreams({
    apiKeys: { ...Object.fromEntries(SERVICE_NAMES.map((s) => [s, `dev-${s}-key`])), orders: "orders-key-1" } as Record<
      (typeof SERVICE_NAMES)[number],
      string
    >,
    now: clock.now,
  });
  stack = await startStack({
    upstreams,
    clock,
    env: {
      ORDERS_API_KEY_FILE: keyFile,
      PAYMENTS_WEBHOOK_SECRET_FILE: webhookFile,
      SECRET_ROTATION_WINDOW_SECONDS: String(WINDOW_S),
      SECRET_FILE_POLL_MS: "20",
      ORDERS_RETRIES: "0",
    },
  });
});
afterAll(async () => {
  await stack.close();
  await upstreams.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a changed API key file is used by the next call, with no restart", async () => {
  const myOrders = async () =>
    (await stack.gql(loadOperations().MyOrders as string, { first: 1 }, { token: await token("u-0001") })).body;
  expect((await myOrders()).errors).toBeUndefined();
  const changed = new Promise<void>((resolve) => {
    stack.server.credentials.orders.apiKey.onChange(() => resolve());
  });
  rotate(keyFile, "orders-key-2\n");
  upstreams.services.orders.apiKey = "orders-key-2"; // the service accepts only the new key from now on
  await changed;
  upstreams.reset();
  expect((await myOrders()).errors).toBeUndefined();
  expect(upstreams.services.orders.calls.map((c) => c.headers["x-api-key"])).toEqual(["orders-key-2"]);
});

describe("a rotated webhook secret (Standard Webhooks)", () => {
  const body = JSON.stringify({
    type: "payment.succeeded",
    timestamp: new Date().toISOString(),
    data: { id: "pay-1", reference: "u-0001:k1" },
  });
  const signed = (secret: string, id: string): Record<string, string> => {
    const timestamp = new Date();
    return {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, timestamp, body),
    };
  };
  /** What the receiver does with `secretsFor(service)`: a signature verifies if any listed secret verifies it. */
  const verifies = (headers: Record<string, string>): boolean =>
    stack.server.webhookSecrets.secretsFor("payments").some((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });

  test("the old secret verifies during the window, the new one at once, and the old one no more after the window", async () => {
    const fromOldSender = signed(OLD, "msg-1");
    expect(verifies(fromOldSender)).toBe(true);
    expect(verifies(signed(NEW, "msg-2"))).toBe(false);
    const changed = new Promise<void>((resolve) => {
      stack.server.webhookSecrets.onChange("payments", () => resolve());
    });
    rotate(webhookFile, `${NEW}\n`);
    await changed;
    expect(stack.server.webhookSecrets.secretsFor("payments")).toEqual([NEW, OLD]);
    expect(verifies(signed(NEW, "msg-3"))).toBe(true);
    expect(verifies(signed(OLD, "msg-4"))).toBe(true); // a sender not yet switched
    clock.advance(WINDOW_S * 1000);
    expect(stack.server.webhookSecrets.secretsFor("payments")).toEqual([NEW]);
    expect(verifies(signed(OLD, "msg-5"))).toBe(false);
    expect(verifies(signed(NEW, "msg-6"))).toBe(true);
  });

  test("a service with no webhook secret configured has none to verify against", () => {
    expect(stack.server.webhookSecrets.secretsFor("catalog")).toEqual([]);
  });
});
