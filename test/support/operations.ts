import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../../operations");

/** The client operations the project ships (copied from the contract), by operation name. */
export function loadOperations(): Record<string, string> {
  const documents: Record<string, string> = {};
  for (const client of ["mobile", "web"]) {
    for (const file of readdirSync(join(ROOT, client)).filter((f) => f.endsWith(".graphql"))) {
      documents[file.replace(/\.graphql$/, "")] = readFileSync(join(ROOT, client, file), "utf8");
    }
  }
  return documents;
}
