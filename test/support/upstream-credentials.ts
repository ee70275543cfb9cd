// Shared by the upstream credentials tests (mutual TLS, OAuth 2.0 client credentials).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVICE_NAMES } from "../../src/services";
import { loadOperations } from "./operations";
import type { Json } from "./stack";

export const MY_ORDERS = loadOperations().MyOrders as string;

/** A scratch directory for the test file, removed after all its tests; returns a writer into it. */
export function scratchFiles(): (name: string, content: string) => string {
  const dir = mkdtempSync(join(tmpdir(), "bff-credentials-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
}
export const perService = (vars: (prefix: string) => Record<string, string>): Record<string, string> =>
  Object.assign({}, ...SERVICE_NAMES.map((s) => vars(s.toUpperCase())));
export const noRetries = perService((p) => ({ [`${p}_RETRIES`]: "0" }));
export const errorsOf = (body: Json): Array<{ code: string; service?: string }> =>
  (body.errors ?? []).map((e: Json) => ({ code: e.extensions.code, service: e.extensions.service }));
