import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Logger } from "pino";
import type { BreakerListener } from "./http/resilience";
import type { ServiceClient } from "./http/service-clients";
import type { FallbackMode } from "./limits/fallback-budget";
import type { ServiceName } from "./services";
import type { StoreState } from "./store-health";

const STORE_STATE = { connecting: 0, up: 1, down: 2 } as const;

/**
 * What /metrics says of the BFF's own health: readiness and degradation, the shared store
 * (state, call latency and outcomes), rate limits decided without it, breaker state changes
 * and the retry budgets. Registered on the process registry next to Metrics.
 */
export class HealthMetrics {
  readonly storeCalls: Counter<"outcome">;
  readonly storeSeconds: Histogram;
  readonly storeStateChanges: Counter<"state">;
  readonly rateLimitFallbacks: Counter<"mode">;
  readonly breakerChanges: Counter<"service" | "state">;

  constructor(
    private readonly registry: Registry,
    status: () => { ready: boolean; degraded: boolean; store: StoreState | null },
  ) {
    const registers = [registry];
    new Gauge({
      name: "bff_ready",
      help: "1 while /readyz answers 200 (serving), 0 before serving and while draining",
      registers,
      collect() {
        this.set(status().ready ? 1 : 0);
      },
    });
    new Gauge({
      name: "bff_degraded",
      help: "1 while serving without the shared store (in-process tier, per-replica rate limits)",
      registers,
      collect() {
        this.set(status().degraded ? 1 : 0);
      },
    });
    new Gauge({
      name: "bff_store_state",
      help: "Shared store state: 0 connecting (never reached yet), 1 up, 2 down; absent in memory-only mode",
      registers,
      collect() {
        const { store } = status();
        if (store) this.set(STORE_STATE[store]);
      },
    });
    this.storeCalls = new Counter({
      name: "bff_store_calls_total",
      help: "Shared store calls by outcome: ok, error, timeout, skipped (refused at once while the store is not up)",
      labelNames: ["outcome"] as const,
      registers,
    });
    this.storeSeconds = new Histogram({
      name: "bff_store_call_duration_seconds",
      help: "Shared store call duration (calls that reached Redis)",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    this.storeStateChanges = new Counter({
      name: "bff_store_state_changes_total",
      help: "Changes of the shared store's state, by the state entered",
      labelNames: ["state"] as const,
      registers,
    });
    this.rateLimitFallbacks = new Counter({
      name: "bff_rate_limit_fallbacks_total",
      help: "Rate-limit decisions taken without the shared store, by RATE_LIMIT_FALLBACK mode",
      labelNames: ["mode"] as const,
      registers,
    });
    this.breakerChanges = new Counter({
      name: "bff_upstream_circuit_changes_total",
      help: "Circuit breaker state changes per upstream, by the state entered",
      labelNames: ["service", "state"] as const,
      registers,
    });
  }

  /** The retry budgets, read at scrape time. */
  watch(clients: Record<ServiceName, ServiceClient>): void {
    const all = Object.values(clients);
    new Gauge({
      name: "bff_upstream_retries",
      help: "Retries per upstream since start: allowed by the retry budget, or denied by it",
      labelNames: ["service", "outcome"] as const,
      registers: [this.registry],
      collect() {
        for (const c of all) {
          this.set({ service: c.service, outcome: "allowed" }, c.policy.budget.allowed);
          this.set({ service: c.service, outcome: "denied" }, c.policy.budget.denied);
        }
      },
    });
  }

  storeObserver() {
    return {
      call: (outcome: "ok" | "error" | "timeout" | "skipped", seconds: number) => {
        this.storeCalls.inc({ outcome });
        if (outcome !== "skipped") this.storeSeconds.observe(seconds);
      },
      state: (state: StoreState) => this.storeStateChanges.inc({ state }),
    };
  }

  /** Breaker state changes: counted, and logged once per change (while a circuit is open its requests log at info). */
  breakerListener(logger: Logger): BreakerListener {
    return (service, state) => {
      this.breakerChanges.inc({ service, state });
      if (state === "open") logger.warn({ service, circuit: state }, "upstream failing: circuit open, calls paused");
      else
        logger.info(
          { service, circuit: state },
          state === "closed" ? "upstream recovered: circuit closed" : "upstream circuit half-open: probing",
        );
    };
  }

  fallback(mode: FallbackMode): void {
    this.rateLimitFallbacks.inc({ mode });
  }
}
