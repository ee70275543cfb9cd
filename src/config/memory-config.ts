// Part of parseConfig (src/config.ts): the in-process cache budgets (docs/maintainers/architecture.md).
import type { MemoryBudgets } from "../cache/memory-tier";
import type { EnvReaders } from "./env-readers";

const MIB = 2 ** 20;

/** CACHE_MEMORY_MB split into budgets: responses, documents and absent entries, the rest for upstream entities. */
export function memoryBudgets({ int, problems }: EnvReaders): MemoryBudgets {
  const memoryMb = int("CACHE_MEMORY_MB", 64, 4, 65_536);
  const responsesMb = int("CACHE_RESPONSES_MB", Math.round(memoryMb * 0.2), 0, 65_536);
  const documentsMb = int("CACHE_DOCUMENTS_MB", Math.max(1, Math.round(memoryMb / 16)), 0, 65_536);
  const absentMb = int("CACHE_ABSENT_MB", Math.max(1, Math.round(memoryMb / 16)), 0, 65_536);
  const entitiesMb = memoryMb - responsesMb - documentsMb - absentMb;
  if (entitiesMb < 1)
    problems.push(
      `CACHE_RESPONSES_MB + CACHE_DOCUMENTS_MB + CACHE_ABSENT_MB must leave at least 1 MiB of CACHE_MEMORY_MB (${memoryMb}) for upstream entities`,
    );
  return {
    entities: entitiesMb * MIB,
    absent: absentMb * MIB,
    responses: responsesMb * MIB,
    documents: documentsMb * MIB,
  };
}
