import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from "jose";
import { startStack, type Stack } from "../support/stack";
import { token } from "../support/tokens";

describe("JWKS (production identity provider, RS256 and ES256)", () => {
  let jwks: Server;
  let stack: Stack;
  const keys: Record<string, { privateKey: KeyLike; kid: string }> = {};
  const issuer = "https://idp.test/";
  const audience = "storefront";

  beforeAll(async () => {
    const published: object[] = [];
    for (const alg of ["RS256", "ES256"]) {
      const pair = await generateKeyPair(alg);
      keys[alg] = { privateKey: pair.privateKey, kid: `key-${alg}` };
      published.push({ ...(await exportJWK(pair.publicKey)), kid: `key-${alg}`, alg, use: "sig" });
    }
    jwks = createServer((_req, res) =>
      res.setHeader("content-type", "application/json").end(JSON.stringify({ keys: published })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    stack = await startStack({
      env: {
        JWT_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: audience,
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    jwks.close();
  });

  const sign = (alg: string, sub: string, role = "customer") =>
    new SignJWT({ role })
      .setProtectedHeader({ alg, kid: keys[alg]?.kid })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime("5m")
      .sign(keys[alg]?.privateKey as KeyLike);

  test.each(["RS256", "ES256"])("a %s token from the identity provider is accepted", async (alg) => {
    const res = await stack.gql<{ me: { id: string } }>("{ me { id } }", {}, { token: await sign(alg, "u-0003") });
    expect(res.body.data?.me.id).toBe("u-0003");
  });

  test("an HS256 token is refused when only a JWKS is configured", async () => {
    const res = await stack.gql("{ me { id } }", {}, { token: await token("u-0003", { issuer, audience }) });
    expect(res.status).toBe(401);
  });
});
