// The check that our BFF and the reference answer the same requests with the same data.
import { isDeepStrictEqual } from "node:util";
import { BenchData } from "./bench-data";
import { send } from "./probe-connection";
import { encodeRequest, loadDocuments } from "./request-encoding";
import { requestStream } from "./request-stream";
import type { ServerProcess } from "./server-process";
import { DEPENDENT_HOPS, seedFor, type OperationName, type Tokens } from "./workloads";

export interface SanityResult {
  readonly requests: number;
  /** Requests whose `data` differs between our BFF and the reference. */
  readonly mismatches: Array<{
    operation: OperationName;
    variables: Record<string, unknown>;
    ours: unknown;
    reference: unknown;
  }>;
  /** Requests either server answered with errors or a non-200 status. */
  readonly failures: Array<{ server: ServerProcess["kind"]; operation: OperationName; status: number; body: string }>;
}

/** Sends the same requests (`perOperation` of each operation) to both servers and compares their data. */
export async function compareAnswers(
  bff: Pick<ServerProcess, "kind" | "url">,
  reference: Pick<ServerProcess, "kind" | "url">,
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
        [bff, reference].map(async (server) => {
          const res = await send(server.url, { method: "POST", body, headers });
          const json = JSON.parse(res.body) as { data?: unknown; errors?: unknown };
          if (res.status !== 200 || json.errors)
            result.failures.push({ server: server.kind, operation, status: res.status, body: res.body.slice(0, 500) });
          return json.data;
        }),
      );
      result.requests += 1;
      if (!isDeepStrictEqual(answers[0], answers[1])) {
        result.mismatches.push({ operation, variables: request.variables, ours: answers[0], reference: answers[1] });
      }
    }
  }
  return result;
}
