// Types of list.cjs for the TypeScript tests.
export interface ServiceEntry {
  readonly name: string;
  readonly port: number;
  readonly webhooks: "invalidation" | "checkout" | null;
}
export interface OpenapiJob {
  readonly service: string;
  readonly spec: string;
  readonly target: string;
}
export const ROOT: string;
export function validateServices(json: unknown, source?: string): ServiceEntry[];
export function loadServices(root?: string): ServiceEntry[];
export function envPrefix(name: string): string;
export function pascal(name: string): string;
export function openapiJobs(services: readonly ServiceEntry[], specDir?: string): OpenapiJob[];
export function crossServiceImportPatterns(services: readonly ServiceEntry[]): string[];
export function conventionFiles(name: string): Array<{ path: string; exports: string | null }>;
