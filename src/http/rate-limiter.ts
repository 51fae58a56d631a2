/** The answer to one counted call. */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Counts tool calls against a per-minute limit for several keys at once (a subject, a client). */
export interface RateLimiter {
  /** Counts `calls` (default 1) for every key when all have room; otherwise counts nothing. */
  hit(keys: readonly string[], calls?: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export interface WindowCounts {
  readonly current: number;
  readonly previous: number;
}

/**
 * The sliding-window estimate (the previous fixed window weighted by how much of it still
 * overlaps the last `windowMs`): smooth like a true sliding log, but two counters per key.
 * Returns 0 when `calls` more fit, else the milliseconds until they would (at most two windows).
 */
export function waitMs(
  counts: WindowCounts,
  limit: number,
  elapsedMs: number,
  windowMs: number,
  calls = 1,
): number {
  const overlap = 1 - elapsedMs / windowMs;
  if (counts.previous * overlap + counts.current + calls <= limit) return 0;
  if (calls > limit) return 2 * windowMs;
  if (counts.current + calls > limit) {
    // Not this window: in the next one, this window's count fades until the calls fit.
    const fade = counts.current > 0 ? 1 - (limit - calls) / counts.current : 0;
    return windowMs - elapsedMs + Math.max(0, fade) * windowMs;
  }
  const needed = 1 - (limit - calls - counts.current) / counts.previous;
  return Math.max(1, (needed - elapsedMs / windowMs) * windowMs);
}

export interface MemoryRateLimiterOptions {
  readonly limit: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

const MAX_KEYS = 100_000;

/** A rate limiter in this process's memory: exact for one instance, per instance for several. */
export function createMemoryRateLimiter({
  limit,
  windowMs = 60_000,
  now = Date.now,
}: MemoryRateLimiterOptions): RateLimiter {
  const counters = new Map<string, { window: number; current: number; previous: number }>();
  const countsAt = (key: string, window: number): WindowCounts => {
    const entry = counters.get(key);
    if (entry === undefined || entry.window < window - 1) return { current: 0, previous: 0 };
    return entry.window === window ? entry : { current: 0, previous: entry.current };
  };

  return {
    async hit(keys, calls = 1) {
      const at = now();
      const window = Math.floor(at / windowMs);
      const elapsed = at - window * windowMs;
      const wait = Math.max(
        0,
        ...keys.map((key) => waitMs(countsAt(key, window), limit, elapsed, windowMs, calls)),
      );
      if (wait > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
      for (const key of keys) {
        const counts = countsAt(key, window);
        counters.delete(key);
        counters.set(key, { window, current: counts.current + calls, previous: counts.previous });
      }
      // Forget the longest-idle keys first when too many are tracked.
      for (const key of counters.keys()) {
        if (counters.size <= MAX_KEYS) break;
        counters.delete(key);
      }
      return { allowed: true };
    },
    async close() {},
  };
}
