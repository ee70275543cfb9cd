import { startStack, type Json, type Stack } from "../support/stack";
import { token } from "../support/tokens";

/**
 * The upstream cache obeys what the upstream sends (the demo catalog is told which headers to
 * send). Signed-in requests, so that the whole-response cache of anonymous ones stays out of it.
 */
describe("the upstream cache, by the upstream's headers", () => {
  let stack: Stack;
  let auth: { token: string };
  beforeAll(async () => {
    stack = await startStack({ env: { CATALOG_RETRIES: "0", CATALOG_BREAKER_MIN_CALLS: "1000" } });
    auth = { token: await token("u-0021") };
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.upstreams.reset());

  const catalog = () => stack.upstreams.services.catalog;
  const categories = () => stack.gql<Json>("{ categories { id name } }", {}, auth);
  const product = (id: string) => stack.gql<Json>(`{ product(id: "${id}") { id name } }`, {}, auth);
  const headersOf = (headers: Record<string, string | null>, only = "^/categories$") =>
    catalog().setFaults({ only, headers });

  test("no-cache: stored, and revalidated with If-None-Match on every request; a 304 is answered from the store", async () => {
    headersOf({ "cache-control": "no-cache" });
    const first = await categories();
    for (let i = 0; i < 2; i++) expect((await categories()).body.data).toEqual(first.body.data);
    expect(catalog().calls.map((call) => [call.headers["if-none-match"] !== undefined, call.status])).toEqual([
      [false, 200],
      [true, 304],
      [true, 304],
    ]);
  });

  test("private and no-store responses are never stored", async () => {
    stack.clock.advance(3_600_000); // past anything earlier tests stored
    for (const cacheControl of ["private, max-age=60", "no-store"]) {
      catalog().reset();
      headersOf({ "cache-control": cacheControl });
      await categories();
      await categories();
      expect(catalog().calls.map((call) => [call.headers["if-none-match"], call.status])).toEqual([
        [undefined, 200],
        [undefined, 200],
      ]);
    }
  });

  test("stale-if-error where allowed; never after must-revalidate", async () => {
    headersOf({ "cache-control": "public, max-age=60" });
    await categories();
    stack.clock.advance(61_000);
    catalog().setFaults({ mode: "down" });
    const stale = await categories();
    expect(stale.body.data?.categories).toHaveLength(12);
    expect(stale.body.extensions?.stale).toEqual([{ service: "catalog", ageSeconds: 1 }]);

    catalog().reset();
    headersOf({ "cache-control": "public, max-age=60, must-revalidate" });
    await categories();
    stack.clock.advance(61_000);
    catalog().setFaults({ mode: "down" });
    const refused = await categories();
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", service: "catalog" });
    expect(refused.body.extensions?.stale).toBeUndefined();
  });

  test("Expires against the upstream's Date, and Age, set how long an entry is fresh", async () => {
    const date = new Date(stack.clock.now());
    headersOf(
      { "cache-control": null, date: date.toUTCString(), expires: new Date(date.getTime() + 30_000).toUTCString() },
      "^/products$",
    );
    await product("p-0101");
    stack.clock.advance(29_000);
    await product("p-0101");
    expect(catalog().calls).toHaveLength(1);
    stack.clock.advance(2_000);
    await product("p-0101");
    expect(catalog().calls).toHaveLength(2);

    catalog().reset();
    headersOf({ "cache-control": "public, max-age=60", age: "50" }, "^/products$");
    await product("p-0102");
    stack.clock.advance(9_000);
    await product("p-0102");
    expect(catalog().calls).toHaveLength(1);
    stack.clock.advance(2_000);
    await product("p-0102");
    expect(catalog().calls.map((call) => call.headers["if-none-match"] !== undefined)).toEqual([false, true]); // revalidated by the batch's ETag
  });
});
