import { cacheExchange as documentCache, Client, fetchExchange, gql } from "@urql/core";
import { ProductListDocument } from "../../operations/generated/graphql";
import { startStack, type Stack } from "../support/stack";

// urql 6 (@urql/core, its CommonJS build) with its default settings against a development BFF
// (trusted documents allowed).

describe("urql's defaults in development (trusted documents allowed)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("an arbitrary document by GET needs a preflight header, as documented; with it, it runs", async () => {
    const plain = new Client({ url: `${stack.url}/graphql`, exchanges: [documentCache, fetchExchange] });
    const refused = await plain
      .query(
        gql`
          query Mine {
            categories {
              id
            }
          }
        `,
        {},
      )
      .toPromise();
    expect(refused.error?.graphQLErrors[0]?.message).toMatch(/Cross-Site Request Forgery/);

    const configured = new Client({
      url: `${stack.url}/graphql`,
      exchanges: [documentCache, fetchExchange],
      fetchOptions: { headers: { "apollo-require-preflight": "true" } },
    });
    const served = await configured
      .query(
        gql`
          query Mine {
            categories {
              id
            }
          }
        `,
        {},
      )
      .toPromise();
    expect(served.data?.categories).toHaveLength(12);
  });

  test("the apps' own operations by GET need nothing: they are manifest queries", async () => {
    const client = new Client({ url: `${stack.url}/graphql`, exchanges: [documentCache, fetchExchange] });
    const result = await client.query(ProductListDocument, { first: 2 }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.products.nodes).toHaveLength(2);
  });
});
