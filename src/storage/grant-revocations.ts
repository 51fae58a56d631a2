/**
 * Grants revoked while access tokens issued under them may still be alive: JWT access tokens
 * are checked without asking the authorization server, so the resource server refuses tokens of
 * these grants itself (a replayed authorization code, a reused refresh token, RFC 7009
 * revocation, sign-out). A record lives as long as the longest-lived access token could.
 */
export interface GrantRevocations {
  /** Records a revoked grant until `until` (seconds since the epoch); recording it again extends it. */
  revoke(grantId: string, until: number): Promise<void>;
  /** The grants whose record has not expired at `now`. */
  revokedGrants(now: number): Promise<string[]>;
  /** Removes records whose time is over; returns how many. */
  purgeExpired(now: number): Promise<number>;
}
