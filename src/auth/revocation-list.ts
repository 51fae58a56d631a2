import type { Principal } from './principal.js';

/** Where revoked grants are recorded, shared by every instance (the database). */
export interface RevokedGrantSource {
  /** The grants whose record has not expired at `now` (seconds since the epoch). */
  revokedGrants(now: number): Promise<string[]>;
}

/** The default interval between reads of the shared records. */
export const REFRESH_MS = 4_000;

export interface RevocationListOptions {
  readonly source: RevokedGrantSource;
  /**
   * How often the shared records are read again; a revocation on another instance takes at most
   * this long, plus the read itself. 4 s keeps the promise of "within 5 seconds" with room to spare.
   */
  readonly refreshMs?: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

/**
 * The grants whose access tokens must be refused although the tokens themselves still verify.
 * Kept in memory, so the check on every request costs a set lookup: the shared records are read
 * at start and then every few seconds, and a revocation made by this instance counts at once.
 */
export interface RevocationList {
  isRevoked(principal: Principal): boolean;
  /** Counts a grant as revoked here until `until` (seconds), before the next read would find it. */
  add(grantId: string, until: number): void;
  /** Reads the shared records now. */
  refresh(): Promise<void>;
  close(): void;
}

export function createRevocationList(options: RevocationListOptions): RevocationList {
  const { source, refreshMs = REFRESH_MS, now = Date.now, onError = () => {} } = options;
  let shared = new Set<string>();
  const local = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  const list: RevocationList = {
    isRevoked({ grantId }) {
      if (grantId === undefined) return false;
      if (shared.has(grantId)) return true;
      const until = local.get(grantId);
      return until !== undefined && until * 1000 > now();
    },
    add(grantId, until) {
      local.set(grantId, until);
    },
    async refresh() {
      const at = now() / 1000;
      shared = new Set(await source.revokedGrants(Math.floor(at)));
      for (const [grantId, until] of local) if (until <= at || shared.has(grantId)) local.delete(grantId);
    },
    close() {
      clearInterval(timer);
    },
  };
  timer = setInterval(() => {
    list.refresh().catch(onError);
  }, refreshMs).unref();
  return list;
}
