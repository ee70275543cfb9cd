// The in-process handle of a demo service: the calls it recorded and traced, its faults and API key.
import { NO_FAULTS, type Faults } from "./faults";

/** One request as a demo service saw it: what tests assert upstream call counts and headers against. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | undefined>;
  status?: number;
}

/** One call of a traced client request (its X-Request-Id starts with `trace-`): when it arrived and was answered. */
export interface TracedCall {
  readonly service: string;
  readonly requestId: string;
  readonly path: string;
  readonly startMs: number;
  endMs: number;
}

/** Traced calls kept per service at most (the bench traces a few dozen requests). */
export const MAX_TRACED = 2_000;

/** The in-process handle of one demo service. */
export interface ServiceControl {
  readonly name: string;
  readonly calls: RecordedCall[];
  /** Calls since the last reset, also when `record` is off. */
  callCount: number;
  /**
   * Keep every call in `calls` (tests assert on them). Off in the standalone process
   * (`npm run upstreams`, the bench), where a long run would otherwise grow without bound.
   */
  record: boolean;
  /** Calls of traced requests (X-Request-Id `trace-*`), bounded; read with `GET /__calls`. */
  readonly traced: TracedCall[];
  faults: Faults;
  /** The X-Api-Key the service accepts (tests change it to rotate the key). */
  apiKey: string;
  /** Called whenever the faults change. */
  onChange?: () => void;
  setFaults(faults: Partial<Faults>): void;
  /** Forgets recorded calls and clears faults. */
  reset(): void;
}

export function createControl(name: string): ServiceControl {
  const control: ServiceControl = {
    name,
    calls: [],
    callCount: 0,
    record: true,
    traced: [],
    faults: { ...NO_FAULTS },
    apiKey: "",
    setFaults: (faults) => {
      control.faults = { ...control.faults, ...faults };
      control.onChange?.();
    },
    reset: () => {
      forgetCalls(control);
      control.faults = { ...NO_FAULTS };
      control.onChange?.();
    },
  };
  return control;
}

export function forgetCalls(control: ServiceControl): void {
  control.calls.length = 0;
  control.traced.length = 0;
  control.callCount = 0;
}
