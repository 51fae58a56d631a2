import { AppError } from '../../errors.js';
import type { AuthStore, UserRecord } from '../../storage/auth-store.js';
import type { ConsoleAudit } from '../console-audit.js';
import type { GrantRevoker } from '../grant-revoker.js';
import type { UserDirectory } from '../users.js';
import { type ConnectedApp, type ConnectedAppsDeps, connectedApps } from './connected-apps.js';

export interface AccountServiceDeps extends ConnectedAppsDeps {
  readonly store: Pick<AuthStore, 'findModel' | 'listModels' | 'destroyModel'>;
  readonly users: UserDirectory;
  readonly grants: GrantRevoker;
  readonly audit: ConsoleAudit;
}

/** What a signed-in person can do to their own account on the account page. */
export interface AccountService {
  apps(user: UserRecord): Promise<ConnectedApp[]>;
  /** Takes an app's access away: its grant and tokens, live access tokens included. */
  revokeApp(user: UserRecord, grantId: string): Promise<void>;
  /** Ends every browser session of the account, this one too; apps keep their access. */
  signOutEverywhere(user: UserRecord): Promise<void>;
  /**
   * Sets a new password after checking the current one; every session and grant of the account
   * is revoked, as `users set-password` does. Returns false when the current password is wrong.
   */
  changePassword(user: UserRecord, current: string, next: string): Promise<boolean>;
}

export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { store, users, grants, audit } = deps;
  return {
    apps: (user) => connectedApps(deps, user.id),

    async revokeApp(user, grantId) {
      const grant = await store.findModel('Grant', grantId);
      // Someone else's grant and no grant at all look the same.
      if (grant?.accountId !== user.id) throw new AppError('not_found', 'That app has no access to revoke.');
      await grants.revokeGrant(grantId);
      await audit({
        actor: user.id,
        operation: 'revoke-grant',
        ownerId: user.id,
        detail: String(grant.clientId),
      });
    },

    async signOutEverywhere(user) {
      for (const session of await store.listModels('Session', user.id)) {
        await store.destroyModel('Session', session.id);
      }
      await audit({ actor: user.id, operation: 'sign-out-everywhere', ownerId: user.id });
    },

    async changePassword(user, current, next) {
      if ((await users.authenticate(user.username, current))?.id !== user.id) return false;
      await grants.revokeAccountGrantsAfter(user.id, () => users.setPassword(user.username, next));
      await audit({ actor: user.id, operation: 'change-password', ownerId: user.id });
      return true;
    },
  };
}
