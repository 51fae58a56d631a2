import { AppError } from '../../errors.js';
import type { OidcModelStore, UserRecord } from '../../storage/auth-store.js';
import type { AccountAdmin, ConnectedApp } from '../account-admin.js';
import type { ConsoleAudit } from '../console-audit.js';

export interface AccountServiceDeps {
  /** Where the account's browser sessions are: signing out everywhere ends them and nothing else. */
  readonly store: Pick<OidcModelStore, 'listModels' | 'destroyModel'>;
  /** Every listing and every change of grants and passwords goes through it, as the CLI's do. */
  readonly admin: AccountAdmin;
  readonly audit: ConsoleAudit;
}

/** What a signed-in person can do to their own account on the account page, each change audited. */
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
  const { store, admin, audit } = deps;
  return {
    apps: (user) => admin.listGrants(user.id),

    async revokeApp(user, grantId) {
      const app = (await admin.listGrants(user.id)).find((a) => a.grantId === grantId);
      // Someone else's grant and no grant at all look the same.
      if (app === undefined) throw new AppError('not_found', 'That app has no access to revoke.');
      await admin.revokeGrant(grantId, { accountId: user.id });
      await audit({ actor: user.id, operation: 'revoke-grant', ownerId: user.id, detail: app.clientId });
    },

    async signOutEverywhere(user) {
      for (const session of await store.listModels('Session', user.id)) {
        await store.destroyModel('Session', session.id);
      }
      await audit({ actor: user.id, operation: 'sign-out-everywhere', ownerId: user.id });
    },

    async changePassword(user, current, next) {
      try {
        await admin.changePassword(user.id, current, next);
      } catch (error) {
        if (error instanceof AppError && error.code === 'forbidden') return false;
        throw error;
      }
      await audit({ actor: user.id, operation: 'change-password', ownerId: user.id });
      return true;
    },
  };
}
