import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteJournal } from "../../../../checkout/journal/sqlite-journal";
import type { CheckoutData } from "../../../../checkout/model";
import type { JournalWrite } from "../../../../checkout/ports";

const data: CheckoutData = {
  lines: [{ productId: "p-0001", quantity: 1, index: 0 }],
  paymentMethod: "pm_card_visa",
  reservations: [{ productId: "p-0001" }],
};
const opening = (id: string) => ({
  id,
  userId: id.split(":")[0] as string,
  idempotencyKey: id.split(":")[1] as string,
  data,
});
const step = (name: string, state: JournalWrite["state"]): JournalWrite => ({
  step: {
    name,
    line: null,
    status: "SUCCEEDED",
    idempotencyKey: `${name}-key`,
    upstreamIds: [`${name}-id`],
    detail: null,
  },
  state,
  data: { ...data, charge: "done" },
});

describe("SqliteJournal (a file in a temp dir)", () => {
  let dir: string;
  let path: string;
  let journal: SqliteJournal;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bff-journal-"));
    path = join(dir, "nested", "checkout.sqlite"); // its folder is created
    journal = new SqliteJournal(path);
  });
  afterEach(async () => {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("open records RECEIVED once: a second open of the id returns the first record and writes no second step", async () => {
    const first = await journal.open(opening("u-1:k1"), 1_000);
    const again = await journal.open({ ...opening("u-1:k1"), data: { ...data, paymentMethod: "other" } }, 2_000);
    expect(first).toMatchObject({
      id: "u-1:k1",
      userId: "u-1",
      idempotencyKey: "k1",
      state: "RECEIVED",
      createdAt: 1_000,
      leaseOwner: null,
    });
    expect(again).toEqual(first);
    expect((await journal.steps("u-1:k1")).map((s) => `${s.seq} ${s.name} ${s.status}`)).toEqual([
      "1 received SUCCEEDED",
    ]);
    expect(await journal.get("nobody:none")).toBeNull();
  });

  test("a lease is exclusive until it expires; release gives it back only for its owner", async () => {
    await journal.open(opening("u-1:k1"), 0);
    expect(await journal.lease("u-1:k1", "a", 1_000, 500)).toMatchObject({ leaseOwner: "a", leaseUntil: 1_500 });
    expect(await journal.lease("u-1:k1", "b", 1_400, 500)).toBeNull();
    await journal.release("u-1:k1", "b"); // not b's: no-op
    expect(await journal.lease("u-1:k1", "b", 1_499, 500)).toBeNull();
    expect(await journal.lease("u-1:k1", "b", 1_501, 500)).toMatchObject({ leaseOwner: "b" }); // a's expired
    await journal.release("u-1:k1", "b");
    expect(await journal.lease("u-1:k1", "c", 1_502, 500)).toMatchObject({ leaseOwner: "c" });
  });

  test("writes are fenced by the lease: the owner's step and state land, extending it; anyone else's change nothing", async () => {
    await journal.open(opening("u-1:k1"), 0);
    await journal.lease("u-1:k1", "a", 10, 100);
    expect(await journal.write("u-1:k1", "a", step("price", "PRICED"), 50, 100)).toBe(true);
    expect(await journal.write("u-1:k1", "b", step("reserve", "INVENTORY_RESERVED"), 60, 100)).toBe(false);
    expect(await journal.get("u-1:k1")).toMatchObject({
      state: "PRICED",
      updatedAt: 50,
      leaseUntil: 150,
      data: { charge: "done" },
    });
    expect(await journal.steps("u-1:k1")).toEqual([
      expect.objectContaining({ seq: 1, name: "received" }),
      {
        seq: 2,
        name: "price",
        line: null,
        status: "SUCCEEDED",
        idempotencyKey: "price-key",
        upstreamIds: ["price-id"],
        detail: null,
        actor: "a",
        at: 50,
      },
    ]);
  });

  test("claimStale takes unfinished, quiet, unleased checkouts, oldest first, up to the limit; never one twice", async () => {
    for (const [id, at] of [
      ["u-1:old", 100],
      ["u-2:older", 50],
      ["u-3:recent", 900],
      ["u-4:done", 10],
      ["u-5:held", 20],
    ] as const)
      await journal.open(opening(id), at);
    await journal.lease("u-4:done", "x", 10, 1);
    await journal.write("u-4:done", "x", step("complete", "COMPLETED"), 10, 1);
    await journal.lease("u-5:held", "y", 950, 10_000);
    const claimed = await journal.claimStale("r1", 500, 1_000, 30_000, 1);
    expect(claimed.map((r) => [r.id, r.leaseOwner])).toEqual([["u-2:older", "r1"]]);
    expect((await journal.claimStale("r2", 500, 1_000, 30_000, 10)).map((r) => r.id)).toEqual(["u-1:old"]);
    expect(await journal.claimStale("r3", 500, 1_000, 30_000, 10)).toEqual([]);
  });

  test("two connections to one file (two processes) claim disjoint checkouts", async () => {
    for (let n = 0; n < 6; n++) await journal.open(opening(`u-${n}:k`), n);
    const other = new SqliteJournal(path);
    try {
      const [mine, theirs] = await Promise.all([
        journal.claimStale("a", 100, 200, 1_000, 3),
        other.claimStale("b", 100, 200, 1_000, 10),
      ]);
      const ids = [...mine, ...theirs].map((r) => r.id).sort();
      expect(ids).toEqual(["u-0:k", "u-1:k", "u-2:k", "u-3:k", "u-4:k", "u-5:k"]);
      expect(mine).toHaveLength(3);
    } finally {
      await other.close();
    }
  });

  test("list filters by state and user, newest first; everything survives closing and reopening the file", async () => {
    await journal.open(opening("u-1:a"), 1);
    await journal.open(opening("u-2:b"), 2);
    await journal.open(opening("u-1:c"), 3);
    await journal.lease("u-1:c", "a", 3, 100);
    await journal.write("u-1:c", "a", step("fail", "FAILED"), 4, 100);
    await journal.close();
    journal = new SqliteJournal(path); // migrations run again: a no-op
    expect((await journal.list({ limit: 10 })).map((r) => r.id)).toEqual(["u-1:c", "u-2:b", "u-1:a"]);
    expect((await journal.list({ limit: 10, userId: "u-1" })).map((r) => r.id)).toEqual(["u-1:c", "u-1:a"]);
    expect((await journal.list({ limit: 10, state: "RECEIVED", userId: "u-1" })).map((r) => r.id)).toEqual(["u-1:a"]);
    expect((await journal.list({ limit: 1 })).map((r) => r.id)).toEqual(["u-1:c"]);
    expect((await journal.steps("u-1:c")).map((s) => s.name)).toEqual(["received", "fail"]);
  });

  test("the webhook inbox claims a message id once per service; a forgotten one can be claimed again", async () => {
    expect(await journal.claimMessage("payments", "msg-1", 1)).toBe(true);
    expect(await journal.claimMessage("payments", "msg-1", 2)).toBe(false);
    expect(await journal.claimMessage("orders", "msg-1", 2)).toBe(true);
    await journal.forgetMessage("payments", "msg-1");
    expect(await journal.claimMessage("payments", "msg-1", 3)).toBe(true);
  });
});
