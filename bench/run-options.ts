// The command line of `npm run bench` (its flags are described at the top of run.ts).
import { parseArgs } from "node:util";
import type { LoadSettings } from "./measure";
import { WORKLOADS, type Tokens, type WorkloadName } from "./workloads";

export interface Options {
  readonly only: WorkloadName[];
  readonly seconds: number;
  readonly connections: number;
  /** Each workload this many times, ours and the reference's in turn; figures are the medians. */
  readonly rounds: number;
  readonly reference: boolean;
  /** Also the lean calibration server (bench/lean), in turn with the other two: how far ours is from the least. */
  readonly lean: boolean;
  readonly profile: boolean;
  readonly soakMinutes: number | null;
}

export function parseOptions(argv: string[]): Options {
  // `--soak` takes an optional number, which parseArgs cannot express: take it out first.
  const soakAt = argv.indexOf("--soak");
  let soakMinutes: number | null = null;
  if (soakAt >= 0) {
    const value = argv[soakAt + 1];
    const explicit = value !== undefined && /^\d+(\.\d+)?$/.test(value);
    soakMinutes = explicit ? Number(value) : 5;
    argv = argv.filter((_, i) => i !== soakAt && !(explicit && i === soakAt + 1));
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      seconds: { type: "string", default: "7" },
      connections: { type: "string", default: "16" },
      rounds: { type: "string", default: "1" },
      "no-reference": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      lean: { type: "boolean", default: false },
    },
  });
  const problems: string[] = [];
  const positive = (name: string, raw: string, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max)
      problems.push(`--${name} must be an integer in 1..${max}, got "${raw}"`);
    return n;
  };
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : [...WORKLOADS];
  const unknown = only.filter((w) => !(WORKLOADS as readonly string[]).includes(w));
  if (unknown.length) problems.push(`--only: unknown workload ${unknown.join(", ")} (known: ${WORKLOADS.join(", ")})`);
  if (soakMinutes !== null && !(soakMinutes > 0 && soakMinutes <= 120))
    problems.push("--soak takes minutes in (0, 120]");
  const options: Options = {
    only: only as WorkloadName[],
    seconds: positive("seconds", values.seconds, 600),
    connections: positive("connections", values.connections, 1_000),
    rounds: positive("rounds", values.rounds, 9),
    reference: !values["no-reference"],
    lean: values.lean,
    profile: values.profile,
    soakMinutes,
  };
  if (problems.length) throw new Error(problems.join("\n"));
  return options;
}

/** The load settings of a phase. */
export const loadSettings = (options: Options, tokens: Tokens): LoadSettings => ({
  connections: options.connections,
  seconds: options.seconds,
  tokens,
});
