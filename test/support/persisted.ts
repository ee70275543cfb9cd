import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getOperationAST, type DocumentNode } from "graphql";

const manifest = JSON.parse(
  readFileSync(join(__dirname, "../../operations/persisted-documents.json"), "utf8"),
) as Record<string, string>;

/** The persisted id the client ships for a generated typed document (looked up by operation name). */
export function persistedId(document: DocumentNode): string {
  const name = getOperationAST(document)?.name?.value;
  const entry = Object.entries(manifest).find(([, text]) => new RegExp(`^(query|mutation) ${name}\\b`).test(text));
  if (!entry) throw new Error(`no persisted document for ${name}`);
  return entry[0];
}

export const manifestEntries = (): Array<[string, string]> => Object.entries(manifest);
export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
