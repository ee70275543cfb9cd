import type { JwtConfig } from "./config/jwt-config";
import { signDevToken } from "./auth/sign-dev-token";

/** The demo customer the development token signs in as. */
export const EXAMPLE_USER = "u-0001";
/** How long the example token lasts: a working day of exploring; restart the server for a fresh one. */
const EXAMPLE_TOKEN_TTL_SECONDS = 12 * 3_600;

/** operations/mobile/ProductDetail.graphql, as the app sends it (a test keeps the two equal). */
export const PRODUCT_DETAIL = `query ProductDetail($id: ID!) {
  product(id: $id) {
    id
    sku
    name
    description
    imageUrl
    price { amount currency formatted }
    category { id name }
    stock { available inStock }
    rating { average count }
    reviews(first: 10) {
      id
      rating
      body
      createdAt
      author { id name }
    }
  }
}
`;

/** What Apollo Sandbox and the offline explorer open with in development: the mobile app's ProductDetail, runnable as is. */
export const EXAMPLE_DOCUMENT = `# Welcome to the storefront BFF: press Run.
# The Headers tab already holds a development token for the demo customer ${EXAMPLE_USER}:
# add \`me { name email orders(first: 3) { nodes { id status } } }\` to see their data.
# Other tokens: npm run -s token -- --user u-0050 --role admin
${PRODUCT_DETAIL}`;

export const EXAMPLE_VARIABLES = { id: "p-0001" };

/** Headers of the example: a real token for the demo customer, minted with the development secret. */
export async function exampleHeaders(jwt: JwtConfig): Promise<Record<string, string>> {
  if (!jwt.secret) return {}; // verified by a JWKS only: there is no token we can mint
  return { Authorization: `Bearer ${await signDevToken(jwt, { sub: EXAMPLE_USER }, EXAMPLE_TOKEN_TTL_SECONDS)}` };
}
