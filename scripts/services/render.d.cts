// Types of render.cjs for the TypeScript tests.
import type { ServiceEntry } from "./list.cjs";

export function servicesTs(services: readonly ServiceEntry[]): string;
export function dataSourcesTs(services: readonly ServiceEntry[]): string;
export function demoServicesTs(services: readonly ServiceEntry[]): string;
export function deployRegions(services: readonly ServiceEntry[]): Record<string, string[]>;
export function replaceRegion(text: string, lines: readonly string[], file: string): string;
export function generatedFiles(services: readonly ServiceEntry[]): Record<string, string>;
