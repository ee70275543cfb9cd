import type { ChildProcess } from "node:child_process";
import type { PostgresCluster } from "./postgres";

export default async function globalTeardown(): Promise<void> {
  (globalThis as { __redis?: ChildProcess }).__redis?.kill();
  (globalThis as { __postgres?: PostgresCluster }).__postgres?.stop();
}
