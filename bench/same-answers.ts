// The check that our BFF and the other servers (the reference, the lean one) answer the same requests
// with the same data.
import { isDeepStrictEqual } from "node:util";
import { BenchData } from "./bench-data";
import { send } from "./probe-connection";
import { encodeRequest, loadDocuments } from "./request-encoding";
import { requestStream } from "./request-stream";
import type { ServerProcess } from "./server-process";
import { DEPENDENT_HOPS, seedFor, type OperationName, type Tokens } from "./workloads";

export interface SanityResult {
  readonly requests: number;
  /** Requests whose `data` from `server` differs from our BFF's. */
  readonly mismatches: Array<{
    operation: OperationName;
    variables: Record<string, unknown>;
    server: ServerProcess["kind"];
    ours: unknown;
    theirs: unknown;
  }>;
  /** Requests either server answered with errors or a non-200 status. */
  readonly failures: Array<{ server: ServerProcess["kind"]; operation: OperationName; status: number; body: string }>;
}

/** Sends the same requests (`perOperation` of each operation) to our BFF and to `others`, and compares their data with ours. */
export async function compareAnswers(
  bff: Pick<ServerProcess, "kind" | "url">,
  others: ReadonlyArray<Pick<ServerProcess, "kind" | "url">>,
  tokens: Tokens,
  perOperation = 3,
): Promise<SanityResult> {
  const bench = new BenchData();
  const documents = loadDocuments();
  const result = {
    requests: 0,
    mismatches: [] as SanityResult["mismatches"],
    failures: [] as SanityResult["failures"],
  };
  for (const operation of Object.keys(DEPENDENT_HOPS) as OperationName[]) {
    const next = requestStream(operation, seedFor(operation, "sanity"), bench);
    for (let i = 0; i < perOperation; i++) {
      const request = next();
      const { body, headers } = encodeRequest(request, documents, tokens);
      const answers = await Promise.all(
        [bff, ...others].map(async (server) => {
          const res = await send(server.url, { method: "POST", body, headers });
          const json = JSON.parse(res.body) as { data?: unknown; errors?: unknown };
          if (res.status !== 200 || json.errors)
            result.failures.push({ server: server.kind, operation, status: res.status, body: res.body.slice(0, 500) });
          return json.data;
        }),
      );
      result.requests += 1;
      others.forEach((other, i) => {
        if (!isDeepStrictEqual(answers[0], answers[i + 1]))
          result.mismatches.push({
            operation,
            variables: request.variables,
            server: other.kind,
            ours: answers[0],
            theirs: answers[i + 1],
          });
      });
    }
  }
  return result;
}
