import { CircuitState, type IBreaker } from "cockatiel";

interface Bucket {
  /** Which slice of time it counts (Date.now() / bucketMs, floored); a stale one is reset on use. */
  slice: number;
  failures: number;
  successes: number;
}

/**
 * A cockatiel breaker that opens when at least `threshold` of the calls of the last `windowMs`
 * failed, and only once `minCalls` calls were made in that window (Resilience4j's
 * minimumNumberOfCalls over a time-based sliding window). Counted in ten slices of the window.
 * cockatiel's SamplingBreaker has the idea but, after a quiet spell, advances one slice per call,
 * so failures from long ago still count; here a slice older than the window never does.
 */
export class WindowBreaker implements IBreaker {
  private readonly buckets: Bucket[];
  private readonly sliceMs: number;

  constructor(private readonly options: { threshold: number; windowMs: number; minCalls: number }) {
    this.sliceMs = Math.max(1, Math.ceil(options.windowMs / 10));
    this.buckets = Array.from({ length: 10 }, () => ({ slice: -1, failures: 0, successes: 0 }));
  }

  get state(): unknown {
    return this.buckets.map((b) => ({ ...b }));
  }

  set state(value: unknown) {
    (value as Bucket[]).forEach((b, i) => Object.assign(this.buckets[i] as Bucket, b));
  }

  success(state: CircuitState): void {
    if (state === CircuitState.HalfOpen) for (const b of this.buckets) b.slice = -1; // the probe passed: start afresh
    this.current().successes += 1;
  }

  failure(state: CircuitState): boolean {
    this.current().failures += 1;
    if (state !== CircuitState.Closed) return true; // a failed probe opens it again
    const oldest = Math.floor(Date.now() / this.sliceMs) - this.buckets.length + 1;
    let failures = 0;
    let calls = 0;
    for (const b of this.buckets) {
      if (b.slice < oldest) continue;
      failures += b.failures;
      calls += b.failures + b.successes;
    }
    return calls >= this.options.minCalls && failures >= this.options.threshold * calls;
  }

  private current(): Bucket {
    const slice = Math.floor(Date.now() / this.sliceMs);
    const bucket = this.buckets[slice % this.buckets.length] as Bucket;
    if (bucket.slice !== slice) {
      bucket.slice = slice;
      bucket.failures = 0;
      bucket.successes = 0;
    }
    return bucket;
  }
}
