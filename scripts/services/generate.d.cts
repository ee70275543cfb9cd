// Types of generate.cjs for the TypeScript tests.
import type { ServiceEntry } from "./list.cjs";

export function generate(root?: string, options?: { check?: boolean }): { services: ServiceEntry[]; stale: string[] };
export function derive(root: string, services: readonly ServiceEntry[]): Record<string, string>;
export function checkConventions(root: string, services: readonly ServiceEntry[]): void;
