import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { MemoryTiers } from "./cache/memory-tier";
import type { ServiceClient } from "./http/service-clients";
import type { ServiceName } from "./services";

/**
 * Prometheus metrics of one BFF process (GET /metrics). Labels are bounded: operations are
 * named only when they are in the persisted documents manifest, otherwise "other".
 */
export class Metrics {
  readonly registry = new Registry();

  readonly operations = new Counter({
    name: "bff_graphql_operations_total",
    help: "GraphQL operations by name and outcome (ok, partial, error)",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });

  readonly operationSeconds = new Histogram({
    name: "bff_graphql_operation_duration_seconds",
    help: "GraphQL operation duration",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: "bff_graphql_errors_total",
    help: "Errors sent to clients, by extensions.code",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: "bff_upstream_calls_total",
    help: "Upstream HTTP calls (each attempt) by service and outcome",
    labelNames: ["service", "outcome"] as const,
    registers: [this.registry],
  });

  readonly upstreamSeconds = new Histogram({
    name: "bff_upstream_call_duration_seconds",
    help: "Upstream call duration",
    labelNames: ["service"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /**
   * Shared cache lookups by service and result, tallied here (`countLookups`) and copied into the
   * counter at scrape time: a request makes hundreds of lookups on a long list, and a labelled
   * `inc` hashes its labels every time.
   */
  private readonly lookups: Record<string, Record<string, number>> = {};

  readonly cacheLookups = tallied(this.registry, this.lookups, {
    name: "bff_cache_lookups_total",
    help: "Shared cache lookups by service and result (fresh, miss, revalidated, stale_served)",
    labelNames: ["service", "result"],
  });

  constructor(private readonly knownOperations: ReadonlySet<string>) {
    collectDefaultMetrics({ register: this.registry, prefix: "bff_" });
  }

  /** Circuit state (0 closed, 1 half-open, 2 open) and calls in flight, read at scrape time. */
  watch(clients: Record<ServiceName, ServiceClient>): void {
    const all = Object.values(clients);
    const circuit = { closed: 0, "half-open": 1, open: 2 } as const;
    new Gauge({
      name: "bff_upstream_circuit_state",
      help: "Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open",
      labelNames: ["service"] as const,
      registers: [this.registry],
      collect() {
        for (const c of all) this.set({ service: c.service }, circuit[c.policy.circuit]);
      },
    });
    new Gauge({
      name: "bff_upstream_in_flight",
      help: "Upstream calls in flight per service",
      labelNames: ["service"] as const,
      registers: [this.registry],
      collect() {
        for (const c of all) this.set({ service: c.service }, c.inFlight);
      },
    });
  }

  /** Entries, bytes, budget and lookups of each in-process cache budget, read at scrape time. */
  watchMemory(tiers: MemoryTiers): void {
    const all = Object.values(tiers);
    const gauge = (name: string, help: string, read: (stats: ReturnType<(typeof all)[number]["stats"]>) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["tier"] as const,
        registers: [this.registry],
        collect() {
          for (const tier of all) this.set({ tier: tier.name }, read(tier.stats()));
        },
      });
    gauge("bff_cache_entries", "Entries held per in-process cache tier", (s) => s.entries);
    gauge("bff_cache_bytes", "Approximate bytes held per in-process cache tier", (s) => s.bytes);
    gauge("bff_cache_budget_bytes", "Byte budget per in-process cache tier (CACHE_*_MB)", (s) => s.maxBytes);
    gauge("bff_cache_hit_ratio", "Hits / lookups per in-process cache tier since start", (s) =>
      s.hits + s.misses === 0 ? 0 : s.hits / (s.hits + s.misses),
    );
    new Counter({
      name: "bff_cache_tier_lookups_total",
      help: "Lookups per in-process cache tier and result (hit, miss)",
      labelNames: ["tier", "result"] as const,
      registers: [this.registry],
      collect() {
        this.reset(); // the tiers keep the running totals; a scrape copies them
        for (const tier of all) {
          const stats = tier.stats();
          this.inc({ tier: tier.name, result: "hit" }, stats.hits);
          this.inc({ tier: tier.name, result: "miss" }, stats.misses);
        }
      },
    });
  }

  countLookups(service: string, result: string, count: number): void {
    const byResult = (this.lookups[service] ??= {});
    byResult[result] = (byResult[result] ?? 0) + count;
  }

  /** One GraphQL operation answered: counted by name and outcome, and timed. */
  recordOperation(name: string | null | undefined, outcome: "ok" | "partial" | "error", seconds: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, outcome });
    this.operationSeconds.observe({ operation }, seconds);
  }

  operationLabel(name: string | null | undefined): string {
    return name && this.knownOperations.has(name) ? name : "other";
  }
}

/** A two-label counter whose values live in `tally` (first label, then second) and are read at scrape time. */
function tallied(
  registry: Registry,
  tally: Record<string, Record<string, number>>,
  { name, help, labelNames }: { name: string; help: string; labelNames: readonly [string, string] },
): Counter<string> {
  const [outer, inner] = labelNames;
  return new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset(); // the tally keeps the running totals; a scrape copies them
      for (const [a, counts] of Object.entries(tally))
        for (const [b, count] of Object.entries(counts)) this.inc({ [outer]: a, [inner]: b }, count);
    },
  });
}
