// A bench request on the wire: the contract's documents, and the HTTP body and headers of one request.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./paths";
import { OPERATIONS, type BenchRequest, type OperationName, type Tokens } from "./workloads";

/** The contract's documents, by operation name. */
export function loadDocuments(): Record<OperationName, string> {
  const dir = join(repoRoot(), "operations");
  const file = (op: OperationName): string =>
    ["CatalogAdmin", "CustomerDetail", "DashboardOverview"].includes(op) ? `web/${op}.graphql` : `mobile/${op}.graphql`;
  return Object.fromEntries(OPERATIONS.map((op) => [op, readFileSync(join(dir, file(op)), "utf8")])) as Record<
    OperationName,
    string
  >;
}

/** The HTTP body and headers of a request. */
export function encodeRequest(
  request: BenchRequest,
  documents: Record<OperationName, string>,
  tokens: Tokens,
  requestId?: string,
): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (request.userId && request.caller !== "anonymous") {
    const token = tokens[request.userId];
    if (!token) throw new Error(`bench: no token for ${request.userId}`);
    headers.authorization = `Bearer ${token}`;
  }
  if (requestId) headers["x-request-id"] = requestId;
  return {
    body: JSON.stringify({
      query: documents[request.operation],
      operationName: request.operation,
      variables: request.variables,
    }),
    headers,
  };
}
