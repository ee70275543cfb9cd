import { createHash } from "node:crypto";
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { ProductDetailDocument, ProductListDocument } from "../../operations/generated/graphql";
import { startStack, type Json, type Stack } from "../support/stack";

// Apollo Client 4 (its CommonJS build) as the mobile and web apps configure it: InMemoryCache (which adds
// __typename to every selection set), the persisted-query link with its default hashing (sha256 of the
// printed document), and the app's name in clientAwareness (sent as apollographql-client-name).

interface Sent {
  method: string;
  url: string;
  body: Json | null;
}

function apolloClient(url: string, options: { name: string; useGET?: boolean }) {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    sent.push({
      method: init?.method ?? "GET",
      url: String(input),
      body: typeof init?.body === "string" ? (JSON.parse(init.body) as Json) : null,
    });
    return fetch(input, init);
  };
  const persisted = new PersistedQueryLink({
    sha256: (text) => createHash("sha256").update(text).digest("hex"),
    useGETForHashedQueries: options.useGET ?? false,
  });
  const client = new ApolloClient({
    link: ApolloLink.from([persisted, new HttpLink({ uri: url, fetch: recordingFetch })]),
    // Objects without an id (Stock, Money, RatingSummary) belong to their parent: merge what two
    // operations select of them instead of replacing (docs/clients/operations.md).
    cache: new InMemoryCache({
      typePolicies: { Stock: { merge: true }, Money: { merge: true }, RatingSummary: { merge: true } },
    }),
    clientAwareness: { name: options.name, version: "1.0.0" },
  });
  return { client, sent };
}

/** Runs ProductDetail and ProductList, as the mobile app's first two screens do. */
async function browse(client: ApolloClient): Promise<void> {
  const detail = await client.query({ query: ProductDetailDocument, variables: { id: "p-0001" } });
  expect(detail.error).toBeUndefined();
  const list = await client.query({ query: ProductListDocument, variables: { first: 3 } });
  expect(list.error).toBeUndefined();
}

describe("Apollo Client 4 against trusted documents enforced (mobile enforced, web allowed)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { TRUSTED_DOCUMENTS: "enforce", TRUSTED_DOCUMENTS_CLIENTS: "mobile=enforce,web=allow" },
    });
  });
  afterAll(() => stack.close());

  test.each([
    ["POST", false],
    ["GET", true],
  ])("by %s it sends only ids, and its normalized cache fills", async (method, useGET) => {
    const { client, sent } = apolloClient(stack.url, { name: "mobile", useGET });
    await browse(client);

    expect(sent.map((s) => s.method)).toEqual([method, method]); // no retry with the full text: the ids are known
    for (const request of sent) {
      const extensions =
        request.body?.extensions ?? JSON.parse(new URL(request.url).searchParams.get("extensions") ?? "{}");
      expect(extensions.persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
      expect(request.body?.query ?? new URL(request.url).searchParams.get("query")).toBeFalsy();
    }

    const cache = client.cache.extract() as Json;
    const keys = Object.keys(cache).sort();
    // One entry per identifiable object (seeded data): 3 products, their category, 4 reviews, their 4 authors.
    expect(keys).toEqual([
      "Category:c-08",
      "Product:p-0001",
      "Product:p-0002",
      "Product:p-0003",
      "ROOT_QUERY",
      "Review:r-000001",
      "Review:r-000002",
      "Review:r-000003",
      "Review:r-000004",
      "User:u-0028",
      "User:u-0075",
      "User:u-0125",
      "User:u-0182",
    ]);
    expect(cache["Product:p-0001"]).toMatchObject({
      __typename: "Product",
      id: "p-0001",
      category: { __ref: expect.stringMatching(/^Category:/) },
      price: { __typename: "Money" },
      stock: { __typename: "Stock" },
      rating: { __typename: "RatingSummary" },
    });
    expect(cache.ROOT_QUERY['product({"id":"p-0001"})']).toEqual({ __ref: "Product:p-0001" });
    expect(cache.ROOT_QUERY['products({"first":3})'].nodes[0]).toEqual({ __ref: "Product:p-0001" });

    // A normalized cache answers ProductDetail again without a request.
    const again = await client.query({
      query: ProductDetailDocument,
      variables: { id: "p-0001" },
      fetchPolicy: "cache-only",
    });
    expect(again.data?.product?.name).toBe((cache["Product:p-0001"] as Json).name);
    expect(sent).toHaveLength(2);
  });

  test("an operation outside the manifests fails for the enforced app, with the server's code", async () => {
    const { client } = apolloClient(stack.url, { name: "mobile" });
    const result = await client
      .query({
        query: gql`
          query Extra {
            categories {
              id
            }
          }
        `,
      })
      .catch((error: unknown) => ({ error }));
    // The refusal speaks application/graphql-response+json, so Apollo Client shows its message, not "status code 400".
    expect(String((result as { error?: unknown }).error)).toMatch(
      /^CombinedGraphQLErrors: Only trusted documents run here/,
    );
  });

  test("the allowed app runs it (its hash is unknown: the link retries with the text)", async () => {
    const { client, sent } = apolloClient(stack.url, { name: "web" });
    const result = await client.query({
      query: gql`
        query Extra {
          categories {
            id
          }
        }
      `,
    });
    expect(result.data).toMatchObject({
      categories: expect.arrayContaining([expect.objectContaining({ __typename: "Category" })]),
    });
    expect(sent.map((s) => Boolean(s.body?.query))).toEqual([false, true]);
  });
});
