import type { RedisClientType } from "@keyv/redis";

/** What runs one store call under the link's guard: StoreLink.call. */
export interface StoreCaller {
  call<T>(run: () => Promise<T>): Promise<T>;
}

/** Commands that are not Redis calls: they pass through unguarded. */
const PASS_THROUGH = new Set<string | symbol>([
  "on",
  "once",
  "off",
  "addListener",
  "removeListener",
  "removeAllListeners",
  "emit",
  "listenerCount",
  "connect",
  "close",
  "destroy",
  "quit",
  "disconnect",
  "duplicate",
  "isOpen",
  "isReady",
  "options",
  "then",
]);

/**
 * The Redis client wrapped for `link`: every command goes through `link.call` (refused at once
 * while the store is not up, bounded by its timeout while it is); members that are not Redis
 * calls pass through. One wrapper per command name, made on first use.
 */
export function guardedClient(raw: RedisClientType, link: StoreCaller): RedisClientType {
  const wrapped = new Map<string | symbol, unknown>();
  const member = (target: RedisClientType, prop: string | symbol): unknown => {
    const value = Reflect.get(target, prop, target) as unknown;
    if (typeof value !== "function" || PASS_THROUGH.has(prop))
      return typeof value === "function" ? value.bind(target) : value;
    let wrapper = wrapped.get(prop);
    if (!wrapper) {
      const method = value as (...args: unknown[]) => unknown;
      wrapper =
        prop === "multi" || prop === "MULTI"
          ? (...args: unknown[]) => guardTransaction(link, method.apply(target, args) as Record<string, unknown>)
          : (...args: unknown[]) => link.call(() => method.apply(target, args) as Promise<unknown>);
      wrapped.set(prop, wrapper);
    }
    return wrapper;
  };
  return new Proxy(raw, { get: member }) as RedisClientType;
}

/** A MULTI is built locally; only its EXEC reaches Redis, so only that is guarded. */
function guardTransaction(link: StoreCaller, multi: Record<string, unknown>): Record<string, unknown> {
  for (const name of ["exec", "execAsPipeline", "EXEC"]) {
    const exec = multi[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (exec) multi[name] = (...args: unknown[]) => link.call(() => exec.apply(multi, args));
  }
  return multi;
}
