import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import type { CheckoutRecord, StepRecord } from "../../../../checkout/model";
import { buildOrder, buildUser } from "../../../support/builders";
import { fakeCheckouts } from "../../../support/fake-checkouts";
import { fakeSources } from "../../../support/fake-sources";
import { admin, codes, customer, execute, testContext } from "../../../support/test-context";

const record = (id: string, state: CheckoutRecord["state"], order = false): CheckoutRecord => ({
  id,
  userId: id.split(":")[0] as string,
  idempotencyKey: id.split(":")[1] as string,
  state,
  data: { lines: [], paymentMethod: "pm_card_visa", reservations: [], ...(order ? { order: buildOrder() } : {}) },
  createdAt: Date.UTC(2026, 10, 20, 10),
  updatedAt: Date.UTC(2026, 10, 20, 10, 1),
  leaseOwner: null,
  leaseUntil: 0,
});
const step: StepRecord = {
  seq: 1,
  name: "charge",
  line: null,
  status: "SUCCEEDED",
  idempotencyKey: "u-0001:k1:charge",
  upstreamIds: ["pay-000001"],
  detail: null,
  actor: "bff-1",
  at: Date.UTC(2026, 10, 20, 10, 0, 30),
};
const records = [record("u-0001:k1", "COMPLETED", true), record("u-0002:k2", "CANCELLED")];

type Audit = {
  id: string;
  state: string;
  createdAt: string;
  updatedAt: string;
  order: { id: string } | null;
  customer: { name: string } | null;
  steps: Array<{ name: string; status: string; at: string; upstreamIds: string[] }>;
};
const CHECKOUT = parse(
  "query($id: ID!) { checkout(id: $id) { id state createdAt updatedAt order { id } customer { name } steps { name status at upstreamIds } } }",
) as TypedDocumentNode<{ checkout: Audit | null }, { id: string }>;
const CHECKOUTS = parse(
  "query($first: Int, $state: CheckoutState, $userId: ID) { checkouts(first: $first, state: $state, userId: $userId) { id state } }",
) as TypedDocumentNode<
  { checkouts: Array<{ id: string; state: string }> | null },
  { first?: number; state?: string; userId?: string }
>;

describe("CheckoutAuditResolver (fake checkout service)", () => {
  test("checkout(id): the journal's record, its steps, its customer from accounts", async () => {
    const checkouts = fakeCheckouts({ records, steps: { "u-0001:k1": [step] } });
    const { sources, asked } = fakeSources({ users: [buildUser()] });
    const answer = await execute(
      CHECKOUT,
      { id: "u-0001:k1" },
      testContext({ sources, viewer: admin(), checkouts: checkouts.port }),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.checkout).toEqual({
      id: "u-0001:k1",
      state: "COMPLETED",
      createdAt: "2026-11-20T10:00:00.000Z",
      updatedAt: "2026-11-20T10:01:00.000Z",
      order: { id: "o-000001" },
      customer: { name: "Ada" },
      steps: [{ name: "charge", status: "SUCCEEDED", at: "2026-11-20T10:00:30.000Z", upstreamIds: ["pay-000001"] }],
    });
    expect(checkouts.asked.map((a) => a.call)).toEqual(["find u-0001:k1", "steps u-0001:k1"]);
    expect(asked.calls).toEqual(["accounts.findUser u-0001"]);
  });

  test("an unknown id is null; a cancelled checkout has no order", async () => {
    const checkouts = fakeCheckouts({ records });
    expect(
      (await execute(CHECKOUT, { id: "x:y" }, testContext({ viewer: admin(), checkouts: checkouts.port }))).data,
    ).toEqual({ checkout: null });
    const cancelled = await execute(
      CHECKOUTS,
      { state: "CANCELLED" },
      testContext({ viewer: admin(), checkouts: checkouts.port }),
    );
    expect(cancelled.data?.checkouts).toEqual([{ id: "u-0002:k2", state: "CANCELLED" }]);
    expect(checkouts.asked.map((a) => a.call)).toEqual(["find x:y", 'list {"limit":20,"state":"CANCELLED"}']);
  });

  test("checkouts(first:) outside 1..100 is BAD_USER_INPUT before the journal is read; filters reach it as given", async () => {
    const checkouts = fakeCheckouts({ records });
    const viewer = admin();
    expect(codes(await execute(CHECKOUTS, { first: 0 }, testContext({ viewer, checkouts: checkouts.port })))).toEqual([
      ["BAD_USER_INPUT", "checkouts"],
    ]);
    expect(codes(await execute(CHECKOUTS, { first: 101 }, testContext({ viewer, checkouts: checkouts.port })))).toEqual(
      [["BAD_USER_INPUT", "checkouts"]],
    );
    await execute(CHECKOUTS, { first: 5, userId: "u-0001" }, testContext({ viewer, checkouts: checkouts.port }));
    expect(checkouts.asked.map((a) => a.call)).toEqual(['list {"limit":5,"userId":"u-0001"}']);
  });

  test("admins only: a customer is FORBIDDEN, even for their own checkout, and the journal is not read", async () => {
    const checkouts = fakeCheckouts({ records });
    const answer = await execute(
      CHECKOUT,
      { id: "u-0001:k1" },
      testContext({ viewer: customer("u-0001"), checkouts: checkouts.port }),
    );
    expect(codes(answer)).toEqual([["FORBIDDEN", "checkout"]]);
    expect(checkouts.asked).toEqual([]);
  });
});
