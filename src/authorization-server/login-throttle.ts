/** Failed sign-ins allowed per window before further attempts are refused. */
export const THROTTLE = { windowMs: 15 * 60_000, perUser: 10, perAddress: 30 } as const;

const MAX_TRACKED_KEYS = 100_000;

export interface LoginThrottle {
  /** Milliseconds until this user may try again from this address, or 0 when they may now. */
  retryAfterMs(username: string, address: string): number;
  recordFailure(username: string, address: string): void;
  recordSuccess(username: string, address: string): void;
}

/**
 * Counts failed sign-ins per username and per client address in a sliding window, so that
 * guessing a password is slow whether an attacker tries many passwords or many users.
 */
export function createLoginThrottle(now: () => number = Date.now, limits = THROTTLE): LoginThrottle {
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const since = now() - limits.windowMs;
    const times = (failures.get(key) ?? []).filter((t) => t > since);
    if (times.length === 0) failures.delete(key);
    else failures.set(key, times);
    return times;
  };
  const wait = (key: string, limit: number): number => {
    const times = recent(key);
    const oldest = times[times.length - limit];
    return times.length >= limit && oldest !== undefined ? oldest + limits.windowMs - now() : 0;
  };
  const userKey = (username: string) => `user:${username.toLowerCase()}`;
  const addressKey = (address: string) => `addr:${address}`;

  return {
    retryAfterMs: (username, address) =>
      Math.max(wait(userKey(username), limits.perUser), wait(addressKey(address), limits.perAddress)),
    recordFailure(username, address) {
      for (const key of [userKey(username), addressKey(address)]) {
        const times = [...recent(key), now()];
        failures.delete(key);
        failures.set(key, times);
      }
      // Bound memory under a flood by forgetting the longest-idle keys first.
      for (const key of failures.keys()) {
        if (failures.size <= MAX_TRACKED_KEYS) break;
        failures.delete(key);
      }
    },
    recordSuccess(username) {
      failures.delete(userKey(username));
    },
  };
}
