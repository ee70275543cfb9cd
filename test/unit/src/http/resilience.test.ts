import { RetryBudget, ServicePolicy, type ResilienceSettings } from "../../../../src/http/resilience";
import { UpstreamError } from "../../../../src/errors/upstream-error";

const defaults: ResilienceSettings = {
  retries: 0,
  retryBudget: 0.5,
  retryReserve: 20,
  retryDelayMs: 1,
  retryMaxDelayMs: 5,
  breakerThreshold: 0.5,
  breakerWindowMs: 10_000,
  breakerMinCalls: 20,
  halfOpenAfterMs: 5_000,
  maxConcurrent: 64,
  maxQueued: 256,
};
const unavailable = () => Promise.reject(new UpstreamError("catalog", "status", 503));
const ok = () => Promise.resolve("ok");
const options = () => ({ repeatable: true, signal: new AbortController().signal });

describe("circuit breaker (WindowBreaker)", () => {
  const realNow = Date.now;
  let offset = 0;
  beforeEach(() => {
    offset = 0;
    jest.spyOn(Date, "now").mockImplementation(() => realNow() + offset);
  }); // cockatiel's clock, moved by hand
  afterEach(() => jest.restoreAllMocks());

  test("100% errors open it within the minimum volume of calls; open, it makes no call; it recovers after the half-open delay", async () => {
    const changes: string[] = [];
    const policy = new ServicePolicy("catalog", defaults, (_service, state) => changes.push(state));
    let attempts = 0;
    const failing = () => {
      attempts += 1;
      return unavailable();
    };
    for (let n = 0; n < 100 && policy.circuit === "closed"; n++)
      await policy.execute(failing, options()).catch(() => undefined);
    expect(policy.circuit).toBe("open");
    expect(attempts).toBe(defaults.breakerMinCalls); // bounded: it opens as soon as the volume counts

    for (let n = 0; n < 10; n++)
      await expect(policy.execute(failing, options())).rejects.toMatchObject({ kind: "circuit-open" });
    expect(attempts).toBe(defaults.breakerMinCalls);

    offset += defaults.halfOpenAfterMs + 1;
    await expect(policy.execute(ok, options())).resolves.toBe("ok"); // the probe
    expect(policy.circuit).toBe("closed");
    await expect(policy.execute(ok, options())).resolves.toBe("ok");
    expect(changes).toEqual(["open", "half-open", "closed"]);
  });

  test("below the minimum volume a failure ratio does not count: 19 failures in a row leave it closed", async () => {
    const policy = new ServicePolicy("catalog", defaults);
    for (let n = 0; n < defaults.breakerMinCalls - 1; n++)
      await policy.execute(unavailable, options()).catch(() => undefined);
    expect(policy.circuit).toBe("closed");
    offset += defaults.breakerWindowMs + 1; // the window moves on: those failures no longer count
    for (let n = 0; n < defaults.breakerMinCalls - 1; n++)
      await policy.execute(unavailable, options()).catch(() => undefined);
    expect(policy.circuit).toBe("closed");
  });

  test("30% failures at volume do not open it", async () => {
    const policy = new ServicePolicy("catalog", defaults);
    for (let n = 0; n < 500; n++) await policy.execute(n % 10 < 3 ? unavailable : ok, options()).catch(() => undefined);
    expect(policy.circuit).toBe("closed");
  });
});

describe("retry budget", () => {
  test("retries are at most the budget's share of calls plus its reserve, however many retries each call may make", async () => {
    const policy = new ServicePolicy("catalog", { ...defaults, retries: 4, breakerMinCalls: 1_000_000 });
    let attempts = 0;
    const calls = 100;
    await Promise.all(
      Array.from({ length: calls }, () =>
        policy
          .execute(() => {
            attempts += 1;
            return unavailable();
          }, options())
          .catch(() => undefined),
      ),
    );
    // Without a budget: 100 calls x 5 attempts = 500. With it: 100 first attempts + 20 reserve + 0.5 per call.
    expect(attempts).toBeLessThanOrEqual(calls + defaults.retryReserve + defaults.retryBudget * calls);
    expect(attempts).toBeGreaterThan(calls); // and retries did happen
    expect(policy.budget.denied).toBeGreaterThan(0);
  });

  test("the balance: each call earns a share of a retry, each retry spends one, savings capped at the reserve", () => {
    const budget = new RetryBudget(0.5, 2);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    budget.deposit();
    expect(budget.tryRetry()).toBe(false);
    budget.deposit();
    expect(budget.tryRetry()).toBe(true);
    for (let n = 0; n < 100; n++) budget.deposit();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
  });
});

describe("retry, bulkhead and deadline", () => {
  test("retries only transient failures, up to `retries` more attempts; a non-repeatable call is tried once", async () => {
    const policy = new ServicePolicy("catalog", { ...defaults, retries: 3 });
    const attempts = async (error: UpstreamError, repeatable = true) => {
      let n = 0;
      await policy
        .execute(
          () => {
            n += 1;
            return Promise.reject(error);
          },
          { ...options(), repeatable },
        )
        .catch(() => undefined);
      return n;
    };
    expect(await attempts(new UpstreamError("catalog", "status", 503))).toBe(4);
    expect(await attempts(new UpstreamError("catalog", "status", 429))).toBe(4);
    expect(await attempts(new UpstreamError("catalog", "timeout"))).toBe(4);
    expect(await attempts(new UpstreamError("catalog", "status", 404))).toBe(1);
    expect(await attempts(new UpstreamError("catalog", "status", 503), false)).toBe(1);
    let n = 0;
    await expect(policy.execute(() => (++n < 3 ? unavailable() : ok()), options())).resolves.toBe("ok");
    expect(n).toBe(3);
  });

  test("the bulkhead: beyond maxConcurrent in flight and maxQueued waiting, a call is refused (rejected) without an attempt", async () => {
    const policy = new ServicePolicy("catalog", { ...defaults, maxConcurrent: 2, maxQueued: 1 });
    const release: Array<() => void> = [];
    let started = 0;
    const held = () =>
      new Promise<string>((resolve) => {
        started += 1;
        release.push(() => resolve("done"));
      });
    const running = [policy.execute(held, options()), policy.execute(held, options()), policy.execute(held, options())];
    await expect(policy.execute(held, options())).rejects.toMatchObject({ service: "catalog", kind: "rejected" });
    expect(started).toBe(2);
    for (let n = 0; n < 3; n++) {
      for (let spin = 0; spin < 100 && release.length === 0; spin++) await new Promise((r) => setImmediate(r));
      release.shift()?.();
    }
    await expect(Promise.all(running)).resolves.toEqual(["done", "done", "done"]);
  });

  test("a spent deadline: no attempt, no retry, kind deadline, and the circuit does not count it", async () => {
    const policy = new ServicePolicy("catalog", { ...defaults, retries: 3, breakerMinCalls: 1, breakerThreshold: 0.1 });
    const spent = new AbortController();
    spent.abort();
    let attempts = 0;
    await expect(
      policy.execute(
        () => {
          attempts += 1;
          return ok();
        },
        { repeatable: true, signal: spent.signal },
      ),
    ).rejects.toMatchObject({ kind: "deadline" });
    expect(attempts).toBe(0);
    expect(policy.circuit).toBe("closed");
  });

  test("aborted during a (minute-long) backoff: the retries stop at once, with the last failure", async () => {
    const policy = new ServicePolicy("catalog", {
      ...defaults,
      retries: 5,
      retryDelayMs: 60_000,
      retryMaxDelayMs: 60_000,
    });
    const deadline = new AbortController();
    let attempts = 0;
    const pending = policy.execute(
      () => {
        attempts += 1;
        return unavailable();
      },
      { repeatable: true, signal: deadline.signal },
    );
    for (let spin = 0; spin < 100 && attempts === 0; spin++) await new Promise((r) => setImmediate(r));
    deadline.abort();
    await expect(pending).rejects.toMatchObject({ kind: "status", status: 503 }); // what the upstream said, not a bare deadline
    expect(attempts).toBe(1);
  });
});
