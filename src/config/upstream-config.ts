// Part of parseConfig (src/config.ts): where the upstreams are, and the policies of calls to them.
import type { ResilienceSettings } from "../http/resilience";
import { SERVICE_NAMES, type ServiceName } from "../services";
import type { EnvReaders } from "./env-readers";

/** `<SERVICE>_URL`: all six or none (then the demo upstreams start in-process); production needs all six. */
export function upstreamUrls({ url, perService, problems }: EnvReaders, production: boolean) {
  const urls = perService((_, prefix) => url(`${prefix}_URL`));
  const configured = SERVICE_NAMES.filter((s) => urls[s] !== null);
  if (configured.length > 0 && configured.length < SERVICE_NAMES.length) {
    const missing = SERVICE_NAMES.filter((s) => urls[s] === null).map((s) => `${s.toUpperCase()}_URL`);
    const all = SERVICE_NAMES.length;
    problems.push(`set all ${all} upstream URLs or none; missing ${missing.join(", ")}`);
  }
  if (production && configured.length === 0) {
    const names = `${SERVICE_NAMES.map((s) => `${s.toUpperCase()}_URL`).join(", ")}`;
    const demo = "demo upstreams are for development";
    problems.push(`production needs the ${SERVICE_NAMES.length} upstream URLs (${names}): ${demo}`);
  }
  return configured.length === SERVICE_NAMES.length ? (urls as Record<ServiceName, string>) : null;
}

export function upstreamTimeouts({ int, perService }: EnvReaders): Record<ServiceName, number> {
  return perService((_, prefix) => int(`${prefix}_TIMEOUT_MS`, 2_000, 1, 60_000));
}

/** Retries within a budget, the circuit breaker and the bulkhead of each upstream (src/http/resilience.ts). */
export function upstreamResilience({ int, ratio, perService }: EnvReaders): Record<ServiceName, ResilienceSettings> {
  return perService((_, prefix) => ({
    retries: int(`${prefix}_RETRIES`, 4, 0, 10),
    retryBudget: ratio(`${prefix}_RETRY_BUDGET`, 0.5, 10),
    retryReserve: int(`${prefix}_RETRY_RESERVE`, 100, 0, 100_000),
    retryDelayMs: int(`${prefix}_RETRY_DELAY_MS`, 25, 1, 10_000),
    retryMaxDelayMs: int(`${prefix}_RETRY_MAX_DELAY_MS`, 500, 1, 60_000),
    breakerThreshold: ratio(`${prefix}_BREAKER_THRESHOLD`, 0.5, 1, false),
    breakerWindowMs: int(`${prefix}_BREAKER_WINDOW_MS`, 10_000, 1_000, 600_000),
    breakerMinCalls: int(`${prefix}_BREAKER_MIN_CALLS`, 50, 1, 1_000_000),
    halfOpenAfterMs: int(`${prefix}_BREAKER_HALF_OPEN_MS`, 5_000, 1, 600_000),
    maxConcurrent: int(`${prefix}_MAX_CONCURRENT`, 64, 1, 10_000),
    maxQueued: int(`${prefix}_MAX_QUEUED`, 256, 0, 100_000),
  }));
}
