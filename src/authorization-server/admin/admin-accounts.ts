import { AppError } from '../../errors.js';
import type { Role, UserRecord } from '../../storage/auth-store.js';
import { type ConnectedApp, type ConnectedAppsDeps, connectedApps } from '../account/connected-apps.js';
import type { ConsoleAudit } from '../console-audit.js';
import type { GrantRevoker } from '../grant-revoker.js';
import type { NewAccount, UserDirectory } from '../users.js';

export interface AdminAccountsDeps extends ConnectedAppsDeps {
  readonly users: UserDirectory;
  readonly grants: GrantRevoker;
  readonly audit: ConsoleAudit;
}

/** The admin console's account operations: the users service's, each one audited. */
export interface AdminAccounts {
  list(): Promise<UserRecord[]>;
  /** Adds an account with a generated password, shown once. */
  add(admin: UserRecord, username: string, role: Role): Promise<NewAccount>;
  setRole(admin: UserRecord, accountId: string, role: Role): Promise<UserRecord>;
  /** Sets a generated password, shown once; the account's sessions and grants are revoked. */
  resetPassword(admin: UserRecord, accountId: string): Promise<{ user: UserRecord; password: string }>;
  remove(admin: UserRecord, accountId: string): Promise<UserRecord>;
  /** An account and the apps holding access to it. */
  grants(accountId: string): Promise<{ user: UserRecord; apps: ConnectedApp[] }>;
  revokeGrant(admin: UserRecord, grantId: string): Promise<string>;
}

export function createAdminAccounts(deps: AdminAccountsDeps): AdminAccounts {
  const { users, grants, audit } = deps;
  const find = async (accountId: string) => {
    const user = await users.findById(accountId);
    if (user === undefined) throw new AppError('not_found', 'There is no such account.');
    return user;
  };
  return {
    list: () => users.list(),
    async add(admin, username, role) {
      const account = await users.add(username, role);
      await audit({ actor: admin.id, operation: 'add-account', ownerId: account.user.id, detail: role });
      return account;
    },
    async setRole(admin, accountId, role) {
      const user = await find(accountId);
      await grants.revokeAccountGrantsAfter(user.id, () => users.setRole(user.username, role));
      await audit({ actor: admin.id, operation: 'set-role', ownerId: user.id, detail: role });
      return user;
    },
    async resetPassword(admin, accountId) {
      const user = await find(accountId);
      const password = await grants.revokeAccountGrantsAfter(user.id, () => users.setPassword(user.username));
      await audit({ actor: admin.id, operation: 'reset-password', ownerId: user.id });
      return { user, password };
    },
    async remove(admin, accountId) {
      const user = await find(accountId);
      await grants.revokeAccountGrantsAfter(user.id, () => users.remove(user.username));
      await audit({ actor: admin.id, operation: 'remove-account', ownerId: user.id, detail: user.username });
      return user;
    },
    async grants(accountId) {
      const user = await find(accountId);
      return { user, apps: await connectedApps(deps, user.id) };
    },
    async revokeGrant(admin, grantId) {
      const grant = await deps.store.findModel('Grant', grantId);
      if (typeof grant?.accountId !== 'string') throw new AppError('not_found', 'There is no such grant.');
      await grants.revokeGrant(grantId);
      const clientId = String(grant.clientId);
      await audit({ actor: admin.id, operation: 'revoke-grant', ownerId: grant.accountId, detail: clientId });
      return grant.accountId;
    },
  };
}
