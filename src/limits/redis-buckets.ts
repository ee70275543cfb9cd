import { createHash } from "node:crypto";
import type { RedisClientType } from "@keyv/redis";
import type { BucketPolicies, Caller, RateLimiter, Throttle } from "./rate-limiter";
import { throttleOf } from "./token-bucket";

/** `apply` in Lua, atomic in Redis. Fractions are kept as strings (Redis replies truncate numbers). */
const SCRIPT = `
local size = tonumber(ARGV[1])
local ratePerMs = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local points = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or size
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(size, tokens + (now - at) * ratePerMs)
  at = now
end
local allowed = 1
if points >= 0 then
  if tokens >= points then tokens = tokens - points else allowed = 0 end
else
  tokens = math.min(size, tokens - points)
end
local ttl = math.ceil((size - tokens) / ratePerMs)
if ttl > 0 then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
  redis.call('PEXPIRE', KEYS[1], ttl + 1000)
else
  redis.call('DEL', KEYS[1])
end
return {allowed, string.format('%.17g', tokens)}
`;
const SCRIPT_SHA = createHash("sha1").update(SCRIPT).digest("hex");

/**
 * Buckets in Redis, shared by every replica: each spend or refund is one script run (atomic).
 * The time is the replica's clock (injected, so tests move it); a replica whose clock lags
 * restores nothing until it catches up, so skew never grants extra points.
 */
export class RedisBuckets implements RateLimiter {
  constructor(
    readonly policies: BucketPolicies,
    private readonly redis: RedisClientType,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  spend(caller: Caller, points: number): Promise<Throttle> {
    return this.run(caller, Math.max(0, points));
  }

  refund(caller: Caller, points: number): Promise<Throttle> {
    return this.run(caller, -Math.max(0, points));
  }

  private async run(caller: Caller, points: number): Promise<Throttle> {
    const policy = this.policies[caller.kind];
    const options = {
      keys: [`${this.prefix}:bucket:${caller.kind}:${caller.key}`],
      arguments: [String(policy.size), String(policy.restorePerSecond / 1000), String(this.now()), String(points)],
    };
    let reply: unknown;
    try {
      reply = await this.redis.evalSha(SCRIPT_SHA, options);
    } catch (error) {
      if (!String((error as Error).message).includes("NOSCRIPT")) throw error;
      reply = await this.redis.eval(SCRIPT, options);
    }
    const [allowed, tokens] = reply as [number, string];
    return throttleOf(Number(tokens), allowed === 1, points, policy);
  }
}
