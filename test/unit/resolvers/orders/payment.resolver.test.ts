import { CustomerDetailDocument } from "../../../../operations/generated/graphql";
import type { PaymentModel } from "../../../../datasources/payments/payments.model";
import { buildOrder, buildPayment, buildUser } from "../../../support/builders";
import { fakeSources } from "../../../support/fake-sources";
import { admin, execute, testContext } from "../../../support/test-context";

describe("PaymentResolver (fake datasources)", () => {
  test.each<[PaymentModel["status"], string]>([
    ["succeeded", "SUCCEEDED"],
    ["declined", "DECLINED"],
    ["refunded", "REFUNDED"],
  ])("payments' %s is the enum %s", async (status, expected) => {
    const { sources } = fakeSources({
      users: [buildUser()],
      orders: [buildOrder()],
      payments: [buildPayment({ status })],
    });
    const answer = await execute(CustomerDetailDocument, { id: "u-0001" }, testContext({ sources, viewer: admin() }));
    expect(answer.data?.user?.orders?.nodes[0]?.payment).toEqual({ status: expected });
  });
});
