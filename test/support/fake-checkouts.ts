import type { CheckoutAnswer, CheckoutRecord, CheckoutRequest, StepRecord } from "../../checkout/model";
import type { CheckoutFilter } from "../../checkout/ports";
import type { DataSources } from "../../datasources";
import type { CheckoutPort } from "./test-context";

/** What resolvers asked of the checkout service, with the datasources they handed it. */
export interface CheckoutAsk {
  readonly call: string;
  readonly sources?: unknown;
  readonly undo?: unknown;
}

/**
 * A checkout service (ctx.checkouts) that answers what it is told and records every call:
 * `checkout` answers `answers` in turn; `find`, `steps`, `list` read `records` and `steps`.
 */
export function fakeCheckouts(
  options: { answers?: CheckoutAnswer[]; records?: CheckoutRecord[]; steps?: Record<string, StepRecord[]> } = {},
) {
  const asked: CheckoutAsk[] = [];
  const answers = [...(options.answers ?? [])];
  const records = options.records ?? [];
  const port: CheckoutPort = {
    checkout: async (
      userId: string,
      request: CheckoutRequest,
      sources: DataSources | object,
      undo: DataSources | object,
    ) => {
      asked.push({ call: `checkout ${userId} ${JSON.stringify(request)}`, sources, undo });
      const answer = answers.shift();
      if (!answer) throw new Error("no answer scripted for this checkout");
      return answer;
    },
    find: async (id) => {
      asked.push({ call: `find ${id}` });
      return records.find((r) => r.id === id) ?? null;
    },
    steps: async (id) => {
      asked.push({ call: `steps ${id}` });
      return options.steps?.[id] ?? [];
    },
    list: async (filter: CheckoutFilter) => {
      asked.push({ call: `list ${JSON.stringify(filter)}` });
      return records
        .filter((r) => (!filter.state || r.state === filter.state) && (!filter.userId || r.userId === filter.userId))
        .slice(0, filter.limit);
    },
  };
  return { port, asked };
}
