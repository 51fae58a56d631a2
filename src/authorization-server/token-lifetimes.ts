/** Token lifetimes in seconds. Short access tokens bound how long a token outlives a revoked grant's record. */
export const TTL = {
  AccessToken: 15 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  Interaction: 60 * 60,
  Session: 14 * 24 * 60 * 60,
  Grant: 30 * 24 * 60 * 60,
  RefreshToken: 30 * 24 * 60 * 60,
} as const;

/** Seconds of clock skew a resource server forgives on `exp`; a revoked grant is remembered this much longer. */
export const CLOCK_TOLERANCE_S = 60;

/**
 * How long a revoked grant stays on the revocation list: as long as the longest-lived access token
 * issued under it may still be accepted. Refresh tokens need no record: they are deleted.
 */
export const REVOKED_GRANT_SECONDS = TTL.AccessToken + CLOCK_TOLERANCE_S;

/** Until when (seconds since the epoch) a grant revoked at `now` stays on the revocation list. */
export const revokedUntil = (now: Date): number => Math.floor(now.getTime() / 1000) + REVOKED_GRANT_SECONDS;
