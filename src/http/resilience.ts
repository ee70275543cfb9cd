import {
  BrokenCircuitError,
  BulkheadRejectedError,
  circuitBreaker,
  CircuitState,
  ExponentialBackoff,
  handleWhen,
  IsolatedCircuitError,
  retry,
  TaskCancelledError,
  bulkhead,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from "cockatiel";
import { UpstreamError } from "../errors/upstream-error";
import type { ServiceName } from "../services";
import { WindowBreaker } from "./window-breaker";

/** One upstream's resilience settings (docs/maintainers/architecture.md, "Resilience"). */
export interface ResilienceSettings {
  /** Retries after the first attempt, for reads and for writes that are safe to repeat. */
  readonly retries: number;
  /** Retry budget: retries may be at most this share of calls (plus `retryReserve`), whatever `retries` allows. */
  readonly retryBudget: number;
  readonly retryReserve: number;
  /** Backoff between attempts: exponential from `retryDelayMs` up to `retryMaxDelayMs`, with decorrelated jitter. */
  readonly retryDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** Failure ratio over the last `breakerWindowMs` that opens the circuit, once `breakerMinCalls` calls were made in it. */
  readonly breakerThreshold: number;
  readonly breakerWindowMs: number;
  readonly breakerMinCalls: number;
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
const isTransient = (error: Error): boolean =>
  error instanceof UpstreamError && error.transient && error.kind !== "deadline" && error.kind !== "rejected";

/**
 * Retries may be at most `ratio` of calls: every call earns `ratio` of a retry, every retry spends
 * one, and what is saved is capped at `reserve` (also the starting balance, so a quiet service can
 * still retry a burst). When a service fails outright, retries stop multiplying its load. No clock:
 * counted in calls, so the same calls always give the same decisions.
 */
export class RetryBudget {
  private balance: number;
  allowed = 0;
  denied = 0;

  constructor(
    private readonly ratio: number,
    private readonly reserve: number,
  ) {
    this.balance = reserve;
  }

  deposit(): void {
    this.balance = Math.min(this.reserve + this.ratio, this.balance + this.ratio);
  }

  tryRetry(): boolean {
    if (this.balance < 1) {
      this.denied += 1;
      return false;
    }
    this.balance -= 1;
    this.allowed += 1;
    return true;
  }
}

/** Told of every change of a breaker's state (logged once, counted in /metrics). */
export type BreakerListener = (service: ServiceName, state: "closed" | "open" | "half-open") => void;

/**
 * The process-wide policies of one upstream (cockatiel): retry with exponential backoff and
 * jitter within a retry budget, around a circuit breaker, around a bulkhead. Shared by every
 * request, so the breaker sees the service's health across all of them. The breaker counts a
 * time window (WindowBreaker) and judges the failure ratio only once enough calls were made in
 * it, so a few unlucky calls at low volume never open it.
 */
export class ServicePolicy {
  readonly breaker: CircuitBreakerPolicy;
  readonly budget: RetryBudget;
  private readonly guarded: IPolicy;
  private readonly withRetry: IPolicy;

  constructor(
    readonly service: ServiceName,
    settings: ResilienceSettings,
    onBreaker?: BreakerListener,
  ) {
    this.breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker: new WindowBreaker({
        threshold: settings.breakerThreshold,
        windowMs: settings.breakerWindowMs,
        minCalls: settings.breakerMinCalls,
      }),
    });
    if (onBreaker) this.breaker.onStateChange(() => onBreaker(service, this.circuit));
    this.budget = new RetryBudget(settings.retryBudget, settings.retryReserve);
    this.guarded = wrap(this.breaker, bulkhead(settings.maxConcurrent, settings.maxQueued));
    const backoff = new ExponentialBackoff({ initialDelay: settings.retryDelayMs, maxDelay: settings.retryMaxDelayMs }); // decorrelated jitter
    const budget = this.budget;
    this.withRetry = wrap(
      retry(
        handleWhen((error) => isTransient(error) && budget.tryRetry()),
        { maxAttempts: settings.retries, backoff },
      ),
      this.guarded,
    );
  }

  get circuit(): "closed" | "open" | "half-open" {
    return this.breaker.state === CircuitState.Closed
      ? "closed"
      : this.breaker.state === CircuitState.HalfOpen
        ? "half-open"
        : "open";
  }

  /** Runs `attempt` under the policies; every failure leaves as an UpstreamError. */
  async execute<T>(attempt: (signal: AbortSignal) => Promise<T>, options: CallOptions): Promise<T> {
    if (options.repeatable) this.budget.deposit();
    const policy = options.repeatable ? this.withRetry : this.guarded;
    try {
      return await policy.execute(({ signal }) => attempt(signal), options.signal);
    } catch (error) {
      throw this.translate(error, options.signal);
    }
  }

  private translate(error: unknown, deadline: AbortSignal): unknown {
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError)
      return new UpstreamError(this.service, "circuit-open");
    if (error instanceof BulkheadRejectedError) return new UpstreamError(this.service, "rejected");
    if (error instanceof TaskCancelledError || (deadline.aborted && !(error instanceof UpstreamError)))
      return new UpstreamError(this.service, "deadline");
    return error;
  }
}
