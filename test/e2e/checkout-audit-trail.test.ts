import { CheckoutDocument } from "../../operations/generated/graphql";
import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";

const AUDIT = `query Audit($id: ID!) { checkout(id: $id) { id idempotencyKey state createdAt updatedAt customer { id } order { id status }
  steps { name status at line idempotencyKey upstreamIds detail actor } } }`;
/** AUDIT's result (an admin-only query: no generated document, typed here). */
interface Audit {
  checkout: {
    id: string;
    idempotencyKey: string;
    state: string;
    createdAt: string;
    updatedAt: string;
    customer: { id: string } | null;
    order: { id: string; status: string } | null;
    steps: Array<{
      name: string;
      status: string;
      at: string;
      line: string | null;
      idempotencyKey: string | null;
      upstreamIds: string[];
      detail: string | null;
      actor: string;
    }>;
  } | null;
}

describe("the checkout audit trail (admins, GraphQL)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("an admin reads each step of a checkout: name, status, time, keys and upstream ids", async () => {
    await stack.post(
      CheckoutDocument,
      {
        input: {
          items: [{ productId: "p-0810", quantity: 1 }],
          idempotencyKey: "audited",
          paymentMethod: "pm_card_visa",
        },
      },
      { token: await token("u-0180") },
    );
    const res = await stack.gql<Audit>(AUDIT, { id: "u-0180:audited" }, { token: await adminToken() });
    expect(res.body.errors).toBeUndefined();
    const audited = res.body.data?.checkout;
    expect(audited).toMatchObject({
      id: "u-0180:audited",
      idempotencyKey: "audited",
      state: "COMPLETED",
      customer: { id: "u-0180" },
      order: { status: "PAID" },
    });
    const steps = audited?.steps ?? [];
    expect(steps.map((s) => `${s.name} ${s.status}`)).toEqual([
      "received SUCCEEDED",
      "price SUCCEEDED",
      "reserve STARTED",
      "reserve SUCCEEDED",
      "reserved SUCCEEDED",
      "charge STARTED",
      "charge SUCCEEDED",
      "charged SUCCEEDED",
      "create_order STARTED",
      "create_order SUCCEEDED",
      "mark_paid STARTED",
      "mark_paid SUCCEEDED",
      "commit STARTED",
      "commit SUCCEEDED",
      "committed SUCCEEDED",
      "complete SUCCEEDED",
    ]);
    expect(steps.find((s) => s.name === "charge" && s.status === "STARTED")).toMatchObject({
      idempotencyKey: "u-0180:audited:charge",
      at: expect.stringMatching(/Z$/),
    });
    expect(steps.find((s) => s.name === "create_order" && s.status === "SUCCEEDED")?.upstreamIds).toEqual([
      audited?.order?.id,
    ]);
    expect(steps.find((s) => s.name === "reserve" && s.status === "SUCCEEDED")).toMatchObject({
      line: "p-0810",
      upstreamIds: [expect.stringMatching(/^res-/)],
    });

    const list = await stack.gql<{ checkouts: Array<{ id: string; state: string }> | null }>(
      "{ checkouts(state: COMPLETED, first: 5) { id state } }",
      {},
      { token: await adminToken() },
    );
    expect(list.body.data?.checkouts).toEqual([{ id: "u-0180:audited", state: "COMPLETED" }]);
  });

  test("customers may not read the audit trail, not even their own", async () => {
    const res = await stack.gql<Audit>(AUDIT, { id: "u-0180:audited" }, { token: await token("u-0180") });
    expect(res.body.data?.checkout).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  test("an unknown checkout is null; first out of range is BAD_USER_INPUT", async () => {
    expect(
      (await stack.gql<Audit>(AUDIT, { id: "nobody:nothing" }, { token: await adminToken() })).body.data?.checkout,
    ).toBeNull();
    const res = await stack.gql<{ checkouts: Array<{ id: string }> | null }>(
      "{ checkouts(first: 500) { id } }",
      {},
      { token: await adminToken() },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
