/**
 * Single-use keys that expire: the DPoP proofs the resource server has accepted (RFC 9449
 * §11.1), so that a proof is accepted once only, by every instance sharing the store.
 */
export interface ReplayStore {
  /**
   * Records `key` until `expiresAt` (seconds since the epoch): true when this call recorded it,
   * false when it is recorded already and has not expired. One atomic statement, so two
   * instances claiming the same key at once never both succeed.
   */
  claim(key: string, expiresAt: number): Promise<boolean>;
  /** Removes keys whose time is over; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

/** Expired keys are purged at most this often, by whichever claim comes along. */
export const REPLAY_PURGE_INTERVAL_S = 60;
