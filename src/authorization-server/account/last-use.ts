import type { StoredModel } from '../../storage/auth-store.js';

/**
 * When a grant was last used, in seconds since the epoch, when a record of it exists. Wired to
 * nothing yet: the `revocation` branch records grant use at `/mcp`, and the composition root
 * passes its reader here; until then `lastTokenIssuedAt` is all the database knows.
 */
export type LastUseReader = (grantId: string) => Promise<number | undefined>;

/** Models that carry a grant id and an issue time: what the database holds of a grant's use. */
export const ISSUED_MODELS = ['RefreshToken', 'AccessToken', 'AuthorizationCode'] as const;

/**
 * The latest issue time among the stored codes and tokens of a grant: its last sign-in or token
 * refresh. JWT access tokens are never stored, so calls made with one are not seen here.
 */
export function lastTokenIssuedAt(grantId: string, issued: readonly StoredModel[]): number | undefined {
  let latest: number | undefined;
  for (const { payload } of issued) {
    if (payload.grantId !== grantId || typeof payload.iat !== 'number') continue;
    latest = Math.max(latest ?? 0, payload.iat);
  }
  return latest;
}
