import type { GrantUsageStore } from '../storage/auth-store.js';

export interface GrantUseRecorderOptions {
  readonly store: GrantUsageStore;
  /** A grant's use is written at most this often (seconds). */
  readonly intervalS?: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

/** Most grants remembered between writes before the stale ones are dropped. */
const MAX_REMEMBERED = 10_000;

/**
 * Notes that a grant's token was used at `/mcp`, for the account page's "last used". Off the hot
 * path: the request never waits for the write, and each grant is written at most once a minute
 * per process, so a busy client costs one small upsert a minute.
 */
export function createGrantUseRecorder(options: GrantUseRecorderOptions): (grantId: string) => void {
  const { store, intervalS = 60, now = Date.now, onError = () => {} } = options;
  const writtenAt = new Map<string, number>();
  return (grantId) => {
    const at = Math.floor(now() / 1000);
    const last = writtenAt.get(grantId);
    if (last !== undefined && at - last < intervalS) return;
    if (writtenAt.size >= MAX_REMEMBERED) {
      for (const [id, time] of writtenAt) if (at - time >= intervalS) writtenAt.delete(id);
    }
    writtenAt.set(grantId, at);
    setImmediate(() => {
      store.recordGrantUse(grantId, at).catch(onError);
    });
  };
}
