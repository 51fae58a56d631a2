import type { Logger } from '../log.js';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface RateLimitSettings {
  /** Calls per minute; 0 turns limiting off. */
  readonly perMinute: number;
  readonly redisUrl: string | undefined;
  readonly log: Logger;
}

/**
 * The configured limiter: none when the limit is 0, shared through Redis when `REDIS_URL` is set
 * (counting in memory while Redis is away), else in this process's memory.
 */
export async function createRateLimiter(settings: RateLimitSettings): Promise<RateLimiter | undefined> {
  const { perMinute: limit, redisUrl, log } = settings;
  if (limit === 0) return undefined;
  const memory = createMemoryRateLimiter({ limit });
  if (redisUrl === undefined) return memory;
  // The Redis client is loaded only when a deployment shares its limits.
  const { createRedisRateLimiter } = await import('./redis-rate-limiter.js');
  return createRedisRateLimiter({ url: redisUrl, limit, fallback: memory, log });
}
