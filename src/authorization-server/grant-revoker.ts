import type { Adapter } from 'oidc-provider';
import type { OidcModelStore } from '../storage/auth-store.js';

/** Revokes grants the way oidc-provider does (RFC 7009 revocation, a replayed code). */
export interface GrantRevoker {
  /**
   * Deletes a grant and everything issued under it, and puts it on the revocation list, so that
   * its access tokens still alive are refused too.
   */
  revokeGrant(grantId: string): Promise<void>;
  /**
   * Runs an account change of the users service (role, password, removal), then revokes every
   * grant the account held before it, as `revokeGrant` does. The users service deletes the
   * account's records itself but does not yet put its grants on the revocation list (the
   * `revocation` branch does); this stops the live access tokens meanwhile. A change that throws
   * revokes nothing.
   */
  revokeAccountGrantsAfter<T>(accountId: string, change: () => Promise<T>): Promise<T>;
}

/** Grant revocation through the storage adapter oidc-provider uses, so that one path records it. */
export function createGrantRevoker(
  store: Pick<OidcModelStore, 'listModels'>,
  adapter: new (model: string) => Adapter,
): GrantRevoker {
  const grants = new adapter('Grant');
  const revoker: GrantRevoker = {
    revokeGrant: (grantId) => grants.revokeByGrantId(grantId),
    async revokeAccountGrantsAfter(accountId, change) {
      const held = await store.listModels('Grant', accountId);
      const result = await change();
      for (const grant of held) await revoker.revokeGrant(grant.id);
      return result;
    },
  };
  return revoker;
}
