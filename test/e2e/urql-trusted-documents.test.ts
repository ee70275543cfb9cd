import { cacheExchange as documentCache, Client, fetchExchange, gql } from "@urql/core";
import { cacheExchange as graphcache } from "@urql/exchange-graphcache";
import { persistedExchange } from "@urql/exchange-persisted";
import { AddReviewDocument, ProductDetailDocument, ProductListDocument } from "../../operations/generated/graphql";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

// urql 6 (@urql/core, its CommonJS build) against trusted documents enforced. urql adds __typename
// to every selection set and prints documents exactly as Apollo's manifest generator does, so the
// text it sends (and the sha256 its persisted exchange computes) is an Apollo manifest entry.

interface Sent {
  method: string;
  contentType: string | null;
  url: string;
  body: string | null;
}

function recorder() {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({
      method: init?.method ?? "GET",
      contentType: headers.get("content-type"),
      url: String(input),
      body: typeof init?.body === "string" ? init.body : null,
    });
    return fetch(input, init);
  };
  return { sent, fetch: recordingFetch };
}

describe("urql 6 with trusted documents enforced", () => {
  let stack: Stack;
  let customer: string;
  beforeAll(async () => {
    [stack, customer] = await Promise.all([startStack({ env: { TRUSTED_DOCUMENTS: "enforce" } }), token("u-0007")]);
  });
  afterAll(() => stack.close());

  test("default settings (document cache, queries by GET with no content type): served, cached, invalidated by __typename", async () => {
    const { sent, fetch } = recorder();
    const client = new Client({
      url: `${stack.url}/graphql`,
      exchanges: [documentCache, fetchExchange],
      fetch,
      fetchOptions: { headers: { authorization: `Bearer ${customer}` } },
    });

    const first = await client.query(ProductDetailDocument, { id: "p-0004" }).toPromise();
    expect(first.error).toBeUndefined();
    expect(first.data?.product).toMatchObject({ __typename: "Product", id: "p-0004", price: { __typename: "Money" } });
    expect(sent).toEqual([expect.objectContaining({ method: "GET", contentType: null })]); // urql's default: no preflight-forcing header

    // The document cache answers the same query again without a request.
    const again = await client.query(ProductDetailDocument, { id: "p-0004" }).toPromise();
    expect(again.data).toEqual(first.data);
    expect(sent).toHaveLength(1);

    // A mutation (POST) whose result has a Review invalidates every cached result that holds one.
    const review = await client
      .mutation(AddReviewDocument, { productId: "p-0004", rating: 4, body: "Seen from urql" })
      .toPromise();
    expect(review.error).toBeUndefined();
    expect(review.data?.addReview.review).toMatchObject({ __typename: "Review", body: "Seen from urql" });
    expect(sent[1]).toMatchObject({ method: "POST", contentType: "application/json" });
    const refreshed = await client.query(ProductDetailDocument, { id: "p-0004" }).toPromise();
    expect(sent.map((s) => s.method)).toEqual(["GET", "POST", "GET"]);
    expect(refreshed.data?.product?.reviews.map((r) => r.body)).toContain("Seen from urql");
  });

  test("a document outside the manifests is refused, and urql shows the server's message", async () => {
    const client = new Client({ url: `${stack.url}/graphql`, exchanges: [documentCache, fetchExchange] });
    const result = await client
      .query(
        gql`
          query Extra {
            categories {
              id
            }
          }
        `,
        {},
      )
      .toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
  });

  test("graphcache with the persisted exchange (ids by GET): entities are normalized by __typename and id", async () => {
    const { sent, fetch } = recorder();
    const warnings: string[] = [];
    const cache = graphcache({
      // Objects without an id belong to their parent (docs/clients/operations.md).
      keys: {
        Money: () => null,
        Stock: () => null,
        RatingSummary: () => null,
        PageInfo: () => null,
        ProductConnection: () => null,
      },
      // Query.product(id) is the Product entity of that id: read it from the normalized cache.
      resolvers: { Query: { product: (_parent, args) => ({ __typename: "Product", id: args.id as string }) } },
      logger: (severity, message) => {
        if (severity !== "debug") warnings.push(message);
      },
    });
    const client = new Client({
      url: `${stack.url}/graphql`,
      exchanges: [
        cache,
        persistedExchange({ enforcePersistedQueries: true, preferGetForPersistedQueries: true }),
        fetchExchange,
      ],
      fetch,
    });

    const list = await client.query(ProductListDocument, { first: 3 }).toPromise();
    expect(list.error).toBeUndefined();
    expect(sent).toHaveLength(1);
    const request = new URL(sent[0]?.url ?? "");
    expect(sent[0]?.method).toBe("GET");
    expect(request.searchParams.get("query")).toBeNull(); // the id only
    expect(JSON.parse(request.searchParams.get("extensions") ?? "{}").persistedQuery.sha256Hash).toMatch(
      /^[0-9a-f]{64}$/,
    );

    // Read back from the normalized store, no request: a product the list brought in (graphcache keys
    // entities by __typename and id; a response without __typename would leave this a miss, with warnings).
    const fromList = list.data?.products.nodes[1];
    const cached = await client
      .query(
        gql`
          query CachedName($id: ID!) {
            product(id: $id) {
              id
              name
              price {
                formatted
              }
            }
          }
        `,
        { id: fromList?.id },
        { requestPolicy: "cache-only" },
      )
      .toPromise();
    expect(cached.data?.product).toEqual({
      id: fromList?.id,
      name: fromList?.name,
      price: { formatted: fromList?.price.formatted },
    });
    expect(sent).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});
