import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_USER, PRODUCT_DETAIL } from "../../src/sandbox";
import { describeWithChromium, launchBrowser } from "../support/browser";
import { startProductionStack } from "../support/production";
import { rawRequest } from "../support/raw-http";
import { startStack, type Json, type Stack } from "../support/stack";

describe("the development example (Sandbox and /explorer)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  test("is the mobile app's ProductDetail, unchanged", () => {
    expect(PRODUCT_DETAIL).toBe(readFileSync(join(__dirname, "../../operations/mobile/ProductDetail.graphql"), "utf8"));
  });

  test("Sandbox opens on it with its variables and a working token for the demo customer", async () => {
    const html = await (await fetch(stack.url, { headers: { accept: "text/html" } })).text();
    const config = JSON.parse(/var embeddedSandboxConfig = (.*);\n/.exec(html)?.[1] ?? "{}") as Json;
    const { document, variables, headers } = config.initialState as {
      document: string;
      variables: Json;
      headers: Record<string, string>;
    };
    expect(document).toContain(PRODUCT_DETAIL);
    expect(variables).toEqual({ id: "p-0001" });
    const token = /^Bearer (.+)$/.exec(headers.Authorization ?? "")?.[1];
    // What Sandbox sends when Run is pressed: the example, its variables, its headers.
    const res = await stack.gql<{ product: { id: string } }>(document, variables, { token });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.product.id).toBe("p-0001");
    const me = await stack.gql<{ me: { id: string } }>("{ me { id } }", {}, { token });
    expect(me.body.data?.me.id).toBe(EXAMPLE_USER);
  });
});

describeWithChromium("the offline explorer in headless Chromium", () => {
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  test("loads from the BFF alone, runs ProductDetail and shows its data", async () => {
    const page = await browser.context.newPage();
    const requested: string[] = [];
    const pageErrors: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    const res = await page.goto(`${stack.url}/explorer`, { waitUntil: "load" });
    expect(res?.status()).toBe(200);

    await page.waitForSelector(".graphiql-execute-button", { timeout: 15_000 });
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(
      '(document.querySelector(".result-window")?.textContent ?? "").includes("p-0001")',
      undefined,
      { timeout: 15_000 },
    );
    const result = (await page.textContent(".result-window")) ?? "";
    expect(result).toContain('"sku"');
    expect(result).toContain('"reviews"');
    expect(result).not.toContain('"errors"');

    expect(pageErrors).toEqual([]);
    // Nothing left this machine: every request went to the BFF (no CDN).
    expect(requested.filter((url) => !url.startsWith(stack.url) && !url.startsWith("data:"))).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([`${stack.url}/explorer/assets/graphiql.js`, `${stack.url}/graphql`]),
    );
  }, 45_000);
});

describe("the explorer's assets and switch", () => {
  test("assets are served compressed once and kept; unknown ones are 404", async () => {
    const stack = await startStack();
    try {
      const br = await rawRequest(`${stack.url}/explorer/assets/graphiql.js`, { headers: { "accept-encoding": "br" } });
      expect(br.status).toBe(200);
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(br.body.length).toBeLessThan(400_000);
      expect((await rawRequest(`${stack.url}/explorer/assets/secrets.js`)).status).toBe(404);
      expect((await rawRequest(`${stack.url}/explorer/assets/../../package.json`)).status).not.toBe(200);
    } finally {
      await stack.close();
    }
  });

  test("production serves no explorer (and no token) unless EXPLORER=true", async () => {
    const stack = await startProductionStack();
    try {
      expect((await rawRequest(`${stack.url}/explorer`)).status).toBe(404);
    } finally {
      await stack.close();
    }
  });
});
