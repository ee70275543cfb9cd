import pino from "pino";
import type { DataSources } from "../../../datasources";
import type { Context } from "../../../src/context";
import { RequestContext, RequestDeadline } from "../../../src/request-context";

/** What Apollo does with the context value before every operation (ApolloServer.js, cloneObject). */
const apolloCopy = <T extends object>(object: T): T =>
  Object.assign(Object.create(Object.getPrototypeOf(object) as object) as T, object);

function requestContext(deadline: RequestDeadline) {
  const made = { dataSources: 0, log: 0 };
  const sources = {} as DataSources;
  const logger = pino({ level: "silent" });
  const context = new RequestContext(
    {
      requestId: "r-1",
      viewer: null,
      clientIp: "127.0.0.1",
      compensationSources: () => sources,
      upstreamCalls: { count: 0 },
      staleServed: [],
      partialErrors: [],
      checkouts: {} as Context["checkouts"],
      authDecisions: new Map(),
      outcome: { operationName: null, query: false },
      trace: null,
      explain: null,
    },
    {
      deadline,
      dataSources: () => {
        made.dataSources += 1;
        return sources;
      },
      log: () => {
        made.log += 1;
        return logger;
      },
    },
  );
  return { context, made, sources };
}

describe("RequestContext", () => {
  test("Apollo's copy of the context makes none of its lazy parts, and shares them with the original", () => {
    const { context, made, sources } = requestContext(new RequestDeadline(performance.now() + 1_000, undefined));
    const copy = apolloCopy(context);
    expect(made).toEqual({ dataSources: 0, log: 0 });
    expect(copy.requestId).toBe("r-1");
    expect(copy.dataSources).toBe(sources);
    expect(context.dataSources).toBe(sources);
    expect(copy.upstreamCalls).toBe(context.upstreamCalls);
    expect(copy.deadline).toBe(context.deadline);
  });
});

describe("RequestDeadline", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("no timer runs until the signal is asked for; then it aborts when the deadline passes", () => {
    const deadline = new RequestDeadline(performance.now() + 1_000, undefined);
    expect(jest.getTimerCount()).toBe(0);
    const signal = deadline.signal;
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(999);
    expect(signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
  });

  test("end() clears the timer: nothing of the request is left", () => {
    const deadline = new RequestDeadline(performance.now() + 1_000, undefined);
    const signal = deadline.signal;
    deadline.end();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(2_000);
    expect(signal.aborted).toBe(false);
  });

  test("a client that hung up aborts the signal, whether it was made before or after", () => {
    const gone = new AbortController();
    const early = new RequestDeadline(performance.now() + 1_000, gone.signal);
    const signal = early.signal;
    gone.abort();
    expect(signal.aborted).toBe(true);

    const late = new RequestDeadline(performance.now() + 1_000, undefined);
    late.abort();
    expect(late.signal.aborted).toBe(true);
    expect(jest.getTimerCount()).toBe(1); // early's timer: aborting does not clear it, end() does
    early.end();
    expect(jest.getTimerCount()).toBe(0);
  });
});
