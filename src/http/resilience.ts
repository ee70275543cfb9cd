import {
  BrokenCircuitError, BulkheadRejectedError, circuitBreaker, CircuitState, CountBreaker, ExponentialBackoff,
  handleWhen, IsolatedCircuitError, retry, TaskCancelledError, bulkhead, wrap, type CircuitBreakerPolicy, type IPolicy,
} from "cockatiel";
import { UpstreamError } from "../errors/upstream-error";
import type { ServiceName } from "../services";

/** One upstream's resilience settings (README: "Resilience"). */
export interface ResilienceSettings {
  /** Retries after the first attempt, for reads and for writes that are safe to repeat. */
  readonly retries: number;
  /** Failure ratio over the last `breakerWindow` calls that opens the circuit. */
  readonly breakerThreshold: number;
  readonly breakerWindow: number;
  /** How long an open circuit refuses calls before one probe is let through. */
  readonly halfOpenAfterMs: number;
  /** Calls in flight at once; more wait in a queue of `maxQueued`, beyond that they are refused. */
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

/** What a call tells the policy about itself. */
export interface CallOptions {
  /** Reads, writes with an Idempotency-Key, and writes the upstream defines as repeatable. */
  readonly repeatable: boolean;
  /** The client request's deadline: no attempt and no backoff outlives it. */
  readonly signal: AbortSignal;
}

/** A failure the upstream may not repeat: worth a retry, and a mark against the circuit. */
const isTransient = (error: Error): boolean => error instanceof UpstreamError && error.transient && error.kind !== "deadline" && error.kind !== "rejected";

/**
 * The process-wide policies of one upstream (cockatiel): retry with exponential backoff and
 * jitter, around a circuit breaker, around a bulkhead. Shared by every request, so the breaker
 * sees the service's health across all of them.
 */
export class ServicePolicy {
  readonly breaker: CircuitBreakerPolicy;
  private readonly guarded: IPolicy;
  private readonly withRetry: IPolicy;

  constructor(readonly service: ServiceName, settings: ResilienceSettings) {
    this.breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker: new CountBreaker({ threshold: settings.breakerThreshold, size: settings.breakerWindow }),
    });
    this.guarded = wrap(this.breaker, bulkhead(settings.maxConcurrent, settings.maxQueued));
    const backoff = new ExponentialBackoff({ initialDelay: 25, maxDelay: 500 }); // decorrelated jitter
    this.withRetry = wrap(retry(handleWhen(isTransient), { maxAttempts: settings.retries, backoff }), this.guarded);
  }

  get circuit(): "closed" | "open" | "half-open" {
    return this.breaker.state === CircuitState.Closed ? "closed" : this.breaker.state === CircuitState.HalfOpen ? "half-open" : "open";
  }

  /** Runs `attempt` under the policies; every failure leaves as an UpstreamError. */
  async execute<T>(attempt: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T> {
    const policy = options.repeatable ? this.withRetry : this.guarded;
    try {
      return await policy.execute(({ signal }) => attempt(signal), options.signal);
    } catch (error) {
      throw this.translate(error, options.signal);
    }
  }

  private translate(error: unknown, deadline: AbortSignal): unknown {
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) return new UpstreamError(this.service, "circuit-open");
    if (error instanceof BulkheadRejectedError) return new UpstreamError(this.service, "rejected");
    if (error instanceof TaskCancelledError || (deadline.aborted && !(error instanceof UpstreamError))) return new UpstreamError(this.service, "deadline");
    return error;
  }
}
