import type { RedisClientType } from "@keyv/redis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Viewer } from "../auth/viewer";

export interface RateLimitConfig {
  readonly windowSeconds: number;
  /** Cost points per window, per caller of each kind. */
  readonly anonymousPoints: number;
  readonly customerPoints: number;
  readonly adminPoints: number;
}

export interface Throttle {
  readonly allowed: boolean;
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  /** Until the caller's budget is whole again. */
  readonly resetInMs: number;
}

/**
 * Cost-based rate limits (rate-limiter-flexible): each caller (user id, or client IP when
 * anonymous) has a budget of cost points per window, spent by each query's cost. In Redis
 * when configured, so every replica enforces one shared budget; atomic either way.
 */
export class CostRateLimiter {
  private readonly limiters: Record<"anonymous" | "customer" | "admin", RateLimiterAbstract>;

  constructor(config: RateLimitConfig, redis: RedisClientType | null, keyPrefix: string) {
    const make = (kind: string, points: number): RateLimiterAbstract => {
      const options = { points, duration: config.windowSeconds, keyPrefix: `${keyPrefix}:rate:${kind}` };
      return redis ? new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: true }) : new RateLimiterMemory(options);
    };
    this.limiters = {
      anonymous: make("anonymous", config.anonymousPoints),
      customer: make("customer", config.customerPoints),
      admin: make("admin", config.adminPoints),
    };
  }

  /** Spends `points` of the caller's budget; a refused spend spends nothing. */
  async spend(viewer: Viewer | null, clientIp: string, points: number): Promise<Throttle> {
    const limiter = this.limiters[viewer ? viewer.role : "anonymous"];
    const key = viewer ? `user:${viewer.id}` : `ip:${clientIp}`;
    const max = limiter.points;
    const current = await limiter.get(key);
    const used = current && current.msBeforeNext > 0 ? current.consumedPoints : 0; // an ended window spent nothing
    if (used + points > max) {
      return { allowed: false, maximumAvailable: max, currentlyAvailable: Math.max(0, max - used), resetInMs: current?.msBeforeNext ?? 0 };
    }
    try {
      const res = await limiter.consume(key, points);
      return { allowed: true, maximumAvailable: max, currentlyAvailable: res.remainingPoints, resetInMs: res.msBeforeNext };
    } catch (rejected) {
      if (!(rejected instanceof RateLimiterRes)) throw rejected;
      // Lost a race with a concurrent request: this one is refused; give back what it counted.
      await limiter.reward(key, points).catch(() => undefined);
      return { allowed: false, maximumAvailable: max, currentlyAvailable: Math.max(0, rejected.remainingPoints), resetInMs: rejected.msBeforeNext };
    }
  }
}
