/** What Apollo Sandbox opens with in development: a runnable example and where a token goes. */
export const SANDBOX_DOCUMENT = `# Welcome to the storefront BFF.
# Public data needs no token. For personal or admin fields, mint one:
#   npm run token -- --user u-0001            (a customer)
#   npm run token -- --user u-0050 --role admin
# and replace the Authorization header below (Headers tab) with its output.
query ProductList($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    nodes { id name price { formatted } rating { average count } stock { inStock } }
    pageInfo { endCursor hasNextPage }
    totalCount
  }
  me { id name email }
}
`;

export const SANDBOX_HEADERS = { Authorization: "Bearer <paste the output of: npm run token -- --user u-0001>" };
