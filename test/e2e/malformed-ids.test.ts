import { startStack, type Json, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";
import { NO_CALLS } from "../support/services";

/** Ids that are not in their service's format: each would change the upstream request if it reached it. */
const MALFORMED = [
  "p-0001,p-0002",
  "p-0001&ids=p-0002",
  "../admin",
  "p-1",
  "P-0001",
  "p-0001 ",
  "",
  "u-0001",
  "p-00001/../x",
];

describe("ids are checked at the edge: a malformed id makes no upstream call", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.upstreams.reset());

  const calls = () => stack.upstreams.callCounts();
  const none = NO_CALLS;

  test.each(MALFORMED)("product(id: %j) is null with no call", async (id) => {
    const res = await stack.gql<Json>("query($id: ID!) { product(id: $id) { id name stock { available } } }", { id });
    expect(res.body).toMatchObject({ data: { product: null } });
    expect(res.body.errors).toBeUndefined();
    expect(calls()).toEqual(none);
  });

  test("in a batch, only the well-formed ids reach the batch request", async () => {
    const res = await stack.gql<Json>(
      '{ a: product(id: "p-0003") { id } b: product(id: "p-0004,p-0005") { id } c: product(id: "p-0006") { id } }',
    );
    expect(res.body.data).toEqual({ a: { id: "p-0003" }, b: null, c: { id: "p-0006" } });
    expect(stack.upstreams.services.catalog.calls.map((call) => call.query.ids)).toEqual(["p-0003,p-0006"]);
  });

  test("user(id:) and order(id:) with malformed ids: null with no call", async () => {
    const admin = { token: await adminToken() };
    const user = await stack.gql<Json>("query($id: ID!) { user(id: $id) { id name } }", { id: "u-0001/orders" }, admin);
    expect(user.body).toEqual({ data: { user: null }, extensions: expect.any(Object) });
    const order = await stack.gql<Json>(
      "query($id: ID!) { order(id: $id) { id } }",
      { id: "o-000001?userId=u-0002" },
      { token: await token("u-0001") },
    );
    expect(order.body.data).toEqual({ order: null });
    expect(order.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(calls()).toEqual(none);
  });

  test("a list filtered by a malformed category id is BAD_USER_INPUT with no call; a well-formed unknown one is an empty list", async () => {
    const res = await stack.gql<Json>('{ products(first: 5, categoryId: "c-01&q=x") { totalCount } }');
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'Query.products(categoryId:) must be a category id such as "c-01", got "c-01&q=x"',
      extensions: { code: "BAD_USER_INPUT", argument: "categoryId" },
    });
    expect(calls()).toEqual(none);
    const unknown = await stack.gql<Json>('{ products(first: 5, categoryId: "c-99") { totalCount } }');
    expect(unknown.body.data).toEqual({ products: { totalCount: 0 } });
    expect(calls().catalog).toBe(1);
  });

  test("checkout of a malformed product id is a user error, with no call to any service", async () => {
    const res = await stack.gql<Json>(
      "mutation($input: CheckoutInput!) { checkout(input: $input) { order { id } userErrors { code field } } }",
      {
        input: {
          items: [{ productId: "p-0001,p-0002", quantity: 1 }],
          idempotencyKey: "malformed-1",
          paymentMethod: "pm_card_visa",
        },
      },
      { token: await token("u-0002") },
    );
    expect(res.body.data?.checkout.order).toBeNull();
    expect(res.body.data?.checkout.userErrors[0]?.code).toBe("PRODUCT_NOT_FOUND");
    expect(calls()).toEqual(none);
  });
});
