import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * The rate-limit hook the MCP endpoint calls with a message's tool calls: each counts against
 * the caller's subject and client. Over the limit, nothing is counted and `rate_limited` (429
 * with Retry-After) is thrown.
 */
export function createToolCallLimit(rateLimiter: RateLimiter, metrics: Metrics) {
  return async function limitToolCalls(principal: Principal, tools: readonly string[]): Promise<void> {
    const keys = [
      `sub:${principal.subject}`,
      ...(principal.clientId ? [`client:${principal.clientId}`] : []),
    ];
    const decision = await rateLimiter.hit(keys, tools.length);
    if (decision.allowed) return;
    for (const tool of tools) metrics.countToolCall(tool, 'rate_limited');
    throw new AppError('rate_limited', 'too many tool calls; slow down', {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  };
}
