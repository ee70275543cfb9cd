import { randomUUID } from "node:crypto";
import pino from "pino";
import { parseConfig } from "../../src/config";
import { createServer, type BffServer } from "../../src/server";
import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams, type Upstreams } from "../../upstreams/start";
import { spawnBff } from "./bff-process";
import { postDocument } from "./typed-post";
import { CheckoutDocument } from "../../operations/generated/graphql";
import { token } from "./tokens";
import { CASES, NO_RECOVERY } from "./checkout-crash-cases";

/**
 * Crashes a BFF (child process, SIGKILL from its own crash hook) at each boundary, then recovers
 * with `replicas` fresh BFFs on the same journal at once, and checks what the upstreams hold.
 */
export function crashSuite(
  journalEnv: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>,
  replicas: number,
  userBase: number,
  productOffset: number,
): void {
  let upstreams: Upstreams;
  let journal: Awaited<ReturnType<typeof journalEnv>>;
  const recovered: BffServer[] = [];
  let retryUrl = "";
  const checkouts = CASES.map((c, i) => ({
    ...c,
    user: `u-0${userBase + i}`,
    key: `crash-${randomUUID().slice(0, 8)}`,
    lines: [] as Array<{ productId: string; quantity: number }>,
  }));
  const before = new Map<string, number>();

  beforeAll(async () => {
    const config = parseConfig({});
    upstreams = await startUpstreams({ apiKeys: config.apiKeys });
    journal = await journalEnv();
    const plenty = upstreams.data.stock
      .filter((s) => s.onHand >= 10 && s.productId >= "p-0700")
      .map((s) => s.productId);
    checkouts.forEach((c, i) => {
      c.lines.push(
        { productId: plenty[2 * i + productOffset] as string, quantity: 2 },
        { productId: plenty[2 * i + productOffset + 1] as string, quantity: 1 },
      );
    });
    for (const c of checkouts) for (const line of c.lines) before.set(line.productId, onHand(line.productId));
    const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [`${s.toUpperCase()}_URL`, upstreams.urls[s]]));

    // Crash: each case in a BFF of its own, two at a time.
    const queue = [...checkouts];
    await Promise.all(
      [0, 1].map(async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const child = await spawnBff({
            ...urls,
            ...journal.env,
            CHECKOUT_CRASH_AT: c.at,
            CHECKOUT_LEASE_MS: "1",
            ...NO_RECOVERY,
            ...c.env,
          });
          const answer = await postDocument(
            child.url,
            CheckoutDocument,
            { input: { items: c.lines, idempotencyKey: c.key, paymentMethod: c.card ?? "pm_card_visa" } },
            { token: await token(c.user) },
          ).then(
            () => "answered",
            () => "no answer",
          );
          const exit = await child.exited;
          expect({ at: c.at, answer, exit }).toEqual({
            at: c.at,
            answer: "no answer",
            exit: { code: null, signal: "SIGKILL" },
          });
        }
      }),
    );

    // Restart: fresh BFFs on the same journal recover at once.
    const recoveryConfig = parseConfig({
      LOG_LEVEL: "silent",
      ...journal.env,
      CHECKOUT_RECOVERY_AFTER_MS: "0",
      CHECKOUT_RECOVERY_INTERVAL_MS: "0",
      CHECKOUT_RECOVERY_BATCH: "1",
    });
    recovered.push(
      ...(await Promise.all(
        Array.from({ length: replicas }, () =>
          createServer(recoveryConfig, { upstreamUrls: upstreams.urls, logger: pino({ level: "silent" }) }),
        ),
      )),
    );
    await Promise.all(recovered.map((server) => server.checkout.recover()));
    retryUrl = await (recovered[recovered.length - 1] as BffServer).listen(0);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(recovered.map((server) => server.close()));
    await upstreams?.close();
    await journal?.cleanup();
  });

  const onHand = (productId: string): number =>
    upstreams.data.stock.find((s) => s.productId === productId)?.onHand as number;

  test.each(checkouts.map((c) => [c.at, c] as const))(
    "crash at %s: consistent after recovery, and a retry answers the same",
    async (_at, c) => {
      const reference = `${c.user}:${c.key}`;
      const payments = upstreams.data.payments.filter((p) => p.reference === reference);
      const orders = upstreams.data.orders.filter((o) => payments.some((p) => p.id === o.paymentId));
      const held = upstreams.inventory.held().filter((r) => c.lines.some((l) => l.productId === r.productId));
      const stock = c.lines.map((l) => onHand(l.productId) - (before.get(l.productId) as number));
      const record = await recovered[0]?.checkout.journal.get(reference);

      if (c.ends === "paid") {
        expect({
          payments: payments.map((p) => p.status),
          orders: orders.map((o) => o.status),
          held,
          stock,
          state: record?.state,
        }).toEqual({
          payments: ["succeeded"],
          orders: ["paid"],
          held: [],
          stock: c.lines.map((l) => -l.quantity),
          state: "COMPLETED",
        });
      } else {
        expect({
          live: orders.filter((o) => o.status !== "cancelled"),
          charged: payments.filter((p) => p.status === "succeeded"),
          held,
          stock,
          state: record?.state,
        }).toEqual({
          live: [],
          charged: [],
          held: [],
          stock: [0, 0],
          state: c.ends === "declined" ? "FAILED" : "CANCELLED",
        });
      }

      // A retry with the same key, to a replica, twice: the recorded outcome, and nothing changes.
      const retry = async () => {
        const { body } = await postDocument(
          retryUrl,
          CheckoutDocument,
          { input: { items: c.lines, idempotencyKey: c.key, paymentMethod: "pm_card_visa" } },
          { token: await token(c.user) },
        );
        return {
          data: body.data,
          errors: body.errors?.map((e) => ({
            message: e.message,
            code: e.extensions?.code,
            reason: e.extensions?.reason,
            retryable: e.extensions?.retryable,
          })),
        };
      };
      const first = await retry();
      const second = await retry();
      expect(second).toEqual(first);
      if (c.ends === "paid") expect(first.data?.checkout.order).toMatchObject({ id: orders[0]?.id, status: "PAID" });
      else if (c.ends === "declined")
        expect(first.data?.checkout.userErrors).toEqual([expect.objectContaining({ code: "PAYMENT_DECLINED" })]);
      else expect(first.errors).toEqual([expect.objectContaining({ code: "CHECKOUT_CANCELLED", retryable: false })]);
      expect(upstreams.data.payments.filter((p) => p.reference === reference)).toHaveLength(payments.length);
      expect(c.lines.map((l) => onHand(l.productId) - (before.get(l.productId) as number))).toEqual(stock);
    },
  );

  if (replicas > 1) {
    test("replicas recovering at once never drive the same checkout", async () => {
      for (const c of checkouts) {
        const steps = (await recovered[0]?.checkout.journal.steps(`${c.user}:${c.key}`)) ?? [];
        const recoverers = new Set(
          steps.filter((s) => s.actor.includes("/recovery-")).map((s) => s.actor.split("/")[0]),
        );
        expect({ at: c.at, recoverers: recoverers.size }).toEqual({ at: c.at, recoverers: 1 });
      }
    });
  }
}
