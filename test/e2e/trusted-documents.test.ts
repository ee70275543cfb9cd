import { print } from "graphql";
import {
  AddReviewDocument,
  CatalogAdminDocument,
  CategoriesDocument,
  CheckoutDocument,
  CustomerDetailDocument,
  DashboardOverviewDocument,
  MyOrdersDocument,
  ProductDetailDocument,
  ProductListDocument,
  type ProductDetailQuery,
} from "../../operations/generated/graphql";
import { post } from "../support/client-requests";
import { manifestEntries, persistedId, sha256 } from "../support/persisted";
import { startStack, type Stack } from "../support/stack";
import { adminToken, token } from "../support/tokens";

const totalCalls = (stack: Stack) => Object.values(stack.upstreams.callCounts()).reduce((a, b) => a + b, 0);

describe("the persisted documents manifest", () => {
  test("holds every contract operation under the sha256 hex of its text", () => {
    const entries = manifestEntries();
    expect(entries).toHaveLength(9);
    for (const [id, text] of entries) expect(sha256(text)).toBe(id);
  });
});

describe("trusted documents: enforce", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS: "enforce" } });
  });
  afterAll(() => stack.close());

  const CASES: Array<
    [string, Parameters<typeof persistedId>[0], Record<string, unknown>, "anonymous" | "customer" | "admin"]
  > = [
    ["Categories", CategoriesDocument, {}, "anonymous"],
    ["ProductList", ProductListDocument, { first: 5 }, "anonymous"],
    ["ProductDetail", ProductDetailDocument, { id: "p-0001" }, "anonymous"],
    ["MyOrders", MyOrdersDocument, { first: 3 }, "customer"],
    ["AddReview", AddReviewDocument, { productId: "p-0001", rating: 5, body: "By id" }, "customer"],
    [
      "Checkout",
      CheckoutDocument,
      {
        input: {
          items: [{ productId: "p-0002", quantity: 1 }],
          idempotencyKey: "trusted-1",
          paymentMethod: "pm_card_visa",
        },
      },
      "customer",
    ],
    ["CatalogAdmin", CatalogAdminDocument, { first: 5 }, "admin"],
    ["CustomerDetail", CustomerDetailDocument, { id: "u-0003" }, "admin"],
    ["DashboardOverview", DashboardOverviewDocument, { first: 5 }, "admin"],
  ];

  test.each(CASES)("%s runs by its persisted id", async (_name, document, variables, who) => {
    const auth = who === "anonymous" ? undefined : who === "admin" ? await adminToken() : await token("u-0003");
    const res = await post(stack, { documentId: persistedId(document), variables }, auth);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(Object.values(res.body.data ?? {})).not.toContain(null);
  });

  test("a typed document's result has the generated type", async () => {
    const res = await post(stack, { documentId: persistedId(ProductDetailDocument), variables: { id: "p-0003" } });
    const data = res.body.data as ProductDetailQuery;
    expect(data.product?.id).toBe("p-0003");
  });

  test("the manifest operation also runs by APQ hash, or as its exact text", async () => {
    const id = persistedId(CategoriesDocument);
    const byHash = await post(stack, { extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
    expect(byHash.body.data?.categories).toHaveLength(12);
    const byText = await post(stack, { query: manifestEntries().find(([key]) => key === id)?.[1] });
    expect(byText.body.data?.categories).toHaveLength(12);
  });

  test("any other document is refused before it is parsed, with no upstream call", async () => {
    stack.upstreams.reset();
    const res = await post(stack, { query: print(CategoriesDocument) + " " }); // same operation, different text
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
    const apq = await post(stack, {
      query: "{ categories { id } }",
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256("{ categories { id } }") } },
    });
    expect(apq.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
    expect(totalCalls(stack)).toBe(0);
  });

  test("an unknown id is PERSISTED_QUERY_NOT_FOUND", async () => {
    const res = await post(stack, { documentId: "0".repeat(64) });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  test("admins may not send arbitrary documents unless configured", async () => {
    const res = await post(stack, { query: "{ categories { id } }" }, await adminToken());
    expect(res.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
  });
});

describe("trusted documents: enforce with the admin bypass", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS: "enforce", TRUSTED_DOCUMENTS_ADMIN_BYPASS: "true" } });
  });
  afterAll(() => stack.close());

  test("an admin explores freely; a customer or a forged admin token does not", async () => {
    expect(
      (await post(stack, { query: "{ categories { id } }" }, await adminToken())).body.data?.categories,
    ).toHaveLength(12);
    expect(
      (await post(stack, { query: "{ categories { id } }" }, await token("u-0003"))).body.errors?.[0]?.extensions?.code,
    ).toBe("PERSISTED_QUERY_NOT_ALLOWED");
    const forged = await token("u-0050", { role: "admin", secret: "not-the-secret-but-long-enough-0123456789" });
    expect((await post(stack, { query: "{ categories { id } }" }, forged)).body.errors?.[0]?.extensions?.code).toBe(
      "PERSISTED_QUERY_NOT_ALLOWED",
    );
  });
});

describe("trusted documents: allow and off", () => {
  test("allow: ids and arbitrary documents both run", async () => {
    const stack = await startStack({ env: { TRUSTED_DOCUMENTS: "allow" } });
    try {
      expect((await post(stack, { documentId: persistedId(CategoriesDocument) })).body.data?.categories).toHaveLength(
        12,
      );
      expect((await post(stack, { query: "{ categories { name } }" })).body.data?.categories).toHaveLength(12);
    } finally {
      await stack.close();
    }
  });

  test("off: a documentId is refused with a clear code", async () => {
    const stack = await startStack({ env: { TRUSTED_DOCUMENTS: "off" } });
    try {
      const res = await post(stack, { documentId: persistedId(CategoriesDocument) });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_SUPPORTED");
    } finally {
      await stack.close();
    }
  });
});
