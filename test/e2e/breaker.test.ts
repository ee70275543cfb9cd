import { startStack, type Json, type Stack } from "../support/stack";

/** The product page's calls to the three failing services (catalog, inventory, reviews), without the authors. */
const PAGE =
  "query Page($id: ID!) { product(id: $id) { id name category { name } stock { available } reviews(first: 5) { id rating } } }";
const RUNS = 20;
const PER_RUN = 40;

describe("random upstream failures that retries should hide (seeded, default resilience settings)", () => {
  let stack: Stack;
  // Timeouts out of reach: this is about 503s and retries, not about how loaded the test machine is.
  // Short backoffs keep the 800 requests quick; the retry and breaker settings are the defaults.
  const generous = {
    REQUEST_DEADLINE_MS: "60000",
    ...Object.fromEntries(
      ["CATALOG", "INVENTORY", "REVIEWS"].flatMap((s) => [
        [`${s}_TIMEOUT_MS`, "30000"],
        [`${s}_RETRY_DELAY_MS`, "2"],
        [`${s}_RETRY_MAX_DELAY_MS`, "10"],
      ]),
    ),
  };
  beforeAll(async () => {
    stack = await startStack({ env: generous });
  });
  afterAll(() => stack.close());

  test(`30% random 503s from catalog, inventory and reviews leave at least 95% of product pages complete in each of ${RUNS} runs, and no breaker opens`, async () => {
    const completeByRun: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const service of ["catalog", "inventory", "reviews"] as const)
        stack.upstreams.services[service].setFaults({ errorRate: 0.3, seed: 1_000 * run + service.length });
      // Distinct products in every request of every run: nothing comes from a cache, every page makes its calls.
      const ids = Array.from({ length: PER_RUN }, (_, i) => `p-${String(1 + run * PER_RUN + i).padStart(4, "0")}`);
      let complete = 0;
      const answers = await Promise.all(ids.map((id) => stack.gql<Json>(PAGE, { id })));
      for (const res of answers) if (res.status === 200 && !res.body.errors && res.body.data?.product) complete += 1;
      completeByRun.push(complete);
    }
    const calls = (["catalog", "inventory", "reviews"] as const).map(
      (s) =>
        `${s} ${stack.upstreams.services[s].calls.length} (retries denied ${stack.server.clients[s].policy.budget.denied})`,
    );
    process.stderr.write(
      `[breaker] complete pages per run of ${PER_RUN}: ${completeByRun.join(" ")}; upstream calls: ${calls.join(", ")}\n`,
    );
    for (const complete of completeByRun) expect(complete).toBeGreaterThanOrEqual(Math.ceil(PER_RUN * 0.95));
    for (const service of ["catalog", "inventory", "reviews"] as const)
      expect(stack.server.clients[service].policy.circuit).toBe("closed");
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).not.toMatch(/bff_upstream_circuit_changes_total\{/);
  }, 120_000);
});
