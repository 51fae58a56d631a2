import { createClient } from 'redis';
import type { Logger } from '../log.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * The same sliding-window rule as the memory limiter, run atomically inside Redis with Redis's
 * clock, so every instance counts against one shared limit.
 */
const SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local calls = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local w = math.floor(now / window)
local elapsed = now - w * window
local wait = 0
for _, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key .. ':' .. w) or '0')
  local previous = tonumber(redis.call('GET', key .. ':' .. (w - 1)) or '0')
  if previous * (1 - elapsed / window) + current + calls > limit then
    local ms
    if calls > limit then
      ms = 2 * window
    elseif current + calls > limit then
      local fade = 0
      if current > 0 then fade = math.max(0, 1 - (limit - calls) / current) end
      ms = window - elapsed + fade * window
    else
      ms = math.max(1, (1 - (limit - calls - current) / previous - elapsed / window) * window)
    end
    if ms > wait then wait = ms end
  end
end
if wait > 0 then return math.ceil(wait) end
for _, key in ipairs(KEYS) do
  local k = key .. ':' .. w
  redis.call('INCRBY', k, calls)
  redis.call('PEXPIRE', k, window * 2)
end
return 0
`;

export interface RedisRateLimiterOptions {
  readonly url: string;
  readonly limit: number;
  readonly windowMs?: number;
  /** Used while Redis cannot answer, so an outage neither blocks calls nor lifts every limit. */
  readonly fallback: RateLimiter;
  readonly log: Logger;
}

export async function createRedisRateLimiter(options: RedisRateLimiterOptions): Promise<RateLimiter> {
  const { limit, windowMs = 60_000, fallback, log } = options;
  const client = createClient({
    url: options.url,
    // Fail fast while disconnected instead of queueing calls behind a dead connection.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) },
  });
  let isWarned = false;
  client.on('error', (err: unknown) => {
    if (!isWarned)
      log.warn('redis unavailable; rate limits are counted per instance until it returns', { err });
    isWarned = true;
  });
  client.on('ready', () => {
    isWarned = false;
  });
  // Not awaited: while Redis is unreachable the client keeps retrying and calls use the fallback.
  client.connect().catch((err: unknown) => log.warn('redis unavailable at start', { err }));

  return {
    async hit(keys, calls = 1) {
      try {
        const wait = Number(
          await client.eval(SCRIPT, {
            keys: keys.map((k) => `todo-manager:rl:${k}`),
            arguments: [String(limit), String(windowMs), String(calls)],
          }),
        );
        return wait > 0
          ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) }
          : { allowed: true };
      } catch {
        return fallback.hit(keys, calls);
      }
    },
    async close() {
      client.destroy();
    },
  };
}
