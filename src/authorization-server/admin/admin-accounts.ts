import { AppError } from '../../errors.js';
import type { Role, UserRecord } from '../../storage/auth-store.js';
import type { AccountAdmin, ConnectedApp } from '../account-admin.js';
import type { ConsoleAudit, ConsoleOperation } from '../console-audit.js';
import type { NewAccount, UserDirectory } from '../users.js';

export interface AdminAccountsDeps {
  readonly users: Pick<UserDirectory, 'add' | 'findById' | 'list'>;
  /** Every change to an account and its grants goes through it, as the CLI's `users` commands do. */
  readonly admin: AccountAdmin;
  readonly audit: ConsoleAudit;
}

/** The admin console's account operations: `AccountAdmin`'s, each one audited. */
export interface AdminAccounts {
  list(): Promise<UserRecord[]>;
  /** Adds an account with a generated password, shown once. */
  add(admin: UserRecord, username: string, role: Role): Promise<NewAccount>;
  setRole(admin: UserRecord, accountId: string, role: Role): Promise<UserRecord>;
  /** Sets a generated password, shown once; the account's sessions and grants are revoked. */
  resetPassword(admin: UserRecord, accountId: string): Promise<{ user: UserRecord; password: string }>;
  remove(admin: UserRecord, accountId: string): Promise<UserRecord>;
  /** Stops the account from signing in and revokes its sessions and grants; the last admin stays. */
  disable(admin: UserRecord, accountId: string): Promise<UserRecord>;
  /** Lets a disabled account sign in again; its old grants stay revoked. */
  enable(admin: UserRecord, accountId: string): Promise<UserRecord>;
  /** An account and the apps holding access to it, with their real first and last use. */
  grants(accountId: string): Promise<{ user: UserRecord; apps: ConnectedApp[] }>;
  /** Revokes one grant of the account; returns its client id. */
  revokeGrant(admin: UserRecord, accountId: string, grantId: string): Promise<string>;
}

async function findAccount(users: AdminAccountsDeps['users'], accountId: string): Promise<UserRecord> {
  const user = await users.findById(accountId);
  if (user === undefined) throw new AppError('not_found', 'There is no such account.');
  return user;
}

/** A change to an account: it is found, changed, then the change audited. */
function auditedChange({ users, audit }: AdminAccountsDeps) {
  return async (
    admin: UserRecord,
    accountId: string,
    operation: ConsoleOperation,
    run: (user: UserRecord) => Promise<unknown>,
    detailOf: (user: UserRecord) => string | undefined = () => undefined,
  ): Promise<UserRecord> => {
    const user = await findAccount(users, accountId);
    await run(user);
    const detail = detailOf(user);
    await audit({ actor: admin.id, operation, ownerId: user.id, ...(detail !== undefined && { detail }) });
    return user;
  };
}

export function createAdminAccounts(deps: AdminAccountsDeps): AdminAccounts {
  const { users, admin: accounts, audit } = deps;
  const find = (accountId: string) => findAccount(users, accountId);
  const change = auditedChange(deps);
  return {
    list: () => users.list(),
    async add(admin, username, role) {
      const account = await users.add(username, role);
      await audit({ actor: admin.id, operation: 'add-account', ownerId: account.user.id, detail: role });
      return account;
    },
    setRole: (admin, accountId, role) =>
      change(
        admin,
        accountId,
        'set-role',
        (u) => accounts.setRole(u.username, role),
        () => role,
      ),
    async resetPassword(admin, accountId) {
      const user = await find(accountId);
      const password = await accounts.setPassword(user.username);
      await audit({ actor: admin.id, operation: 'reset-password', ownerId: user.id });
      return { user, password };
    },
    remove: (admin, accountId) =>
      change(
        admin,
        accountId,
        'remove-account',
        (u) => accounts.removeAccount(u.username),
        (u) => u.username,
      ),
    disable: (admin, accountId) =>
      change(admin, accountId, 'disable-account', (u) => accounts.disableAccount(u.username)),
    enable: (admin, accountId) =>
      change(admin, accountId, 'enable-account', (u) => accounts.enableAccount(u.username)),
    async grants(accountId) {
      const user = await find(accountId);
      return { user, apps: await accounts.listGrants(user.id) };
    },
    async revokeGrant(admin, accountId, grantId) {
      const app = (await accounts.listGrants(accountId)).find((a) => a.grantId === grantId);
      if (app === undefined) throw new AppError('not_found', 'There is no such grant.');
      await accounts.revokeGrant(grantId, { accountId });
      await audit({ actor: admin.id, operation: 'revoke-grant', ownerId: accountId, detail: app.clientId });
      return app.clientId;
    },
  };
}
