import { AppError } from '../errors.js';
import type { AuthStore, Role } from '../storage/auth-store.js';
import type { GrantRevocations } from '../storage/grant-revocations.js';
import { type ConnectedApp, toConnectedApps } from './connected-apps.js';
import { revokedUntil } from './token-lifetimes.js';
import type { UserDirectory } from './users.js';

export type { ClientOrigin, ConnectedApp } from './connected-apps.js';

export interface AccountAdminDeps {
  readonly store: AuthStore;
  /** The shared revocation list that every instance's `/mcp` reads. */
  readonly revocations: GrantRevocations;
  /** Its account changes revoke grants the same way (see `AccountChanges`). */
  readonly users: UserDirectory;
  readonly now?: () => Date;
  /** Told of grants revoked here, so that this process refuses their tokens at once. */
  readonly onRevoked?: (grantIds: readonly string[], until: number) => void;
}

/**
 * What the account page, the admin console and the CLI change about accounts and their grants,
 * one place for all of them. Every revocation takes effect at `/mcp` on every instance within
 * the revocation list's refresh (5 s): the grant ids go on the shared list for as long as an
 * access token may live, and the grants' refresh tokens (and, for an account, its sessions) are
 * deleted, each in one short transaction.
 */
export interface AccountAdmin {
  /**
   * Revokes one grant: its access and refresh tokens stop working. With `accountId`, only a grant
   * of that account is revoked; any other is `not_found` (the account page passes its own).
   */
  revokeGrant(grantId: string, options?: { readonly accountId?: string }): Promise<void>;
  /** Revokes every grant, token and session of an account ("sign out everywhere"); returns how many grants. */
  revokeAccountGrants(accountId: string): Promise<number>;
  /** Revokes every grant a client holds, over all accounts (the console's "revoke all"); returns how many. */
  revokeClientGrants(clientId: string): Promise<number>;
  /** Stops an account from signing in and revokes its grants; the last enabled admin stays. */
  disableAccount(username: string): Promise<void>;
  enableAccount(username: string): Promise<void>;
  /** Changes a role and revokes the account's grants, so no token outlives the old role's scopes. */
  setRole(username: string, role: Role): Promise<void>;
  /** Sets a password (generated and returned when none is given) and revokes the account's grants. */
  setPassword(username: string, password?: string): Promise<string>;
  /**
   * The account page's change of password: `forbidden` unless `currentPassword` is right; then as
   * `setPassword`, which revokes every grant and session, the current one too (sign in again).
   */
  changePassword(accountId: string, currentPassword: string, newPassword: string): Promise<void>;
  removeAccount(username: string): Promise<void>;
  /** The account's live grants, most recently used first (the console's own sign-in is none). */
  listGrants(accountId: string): Promise<ConnectedApp[]>;
  /** Everyone's live grants, by account, most recently used first. */
  listAllGrants(): Promise<ConnectedApp[]>;
}

export function createAccountAdmin(deps: AccountAdminDeps): AccountAdmin {
  const { store, revocations, users, now = () => new Date() } = deps;
  const revokeOne = async (grantId: string) => {
    const until = revokedUntil(now());
    // Listed first: once the grant is deleted nothing else remembers that its tokens are void.
    await revocations.revoke(grantId, until);
    await store.revokeGrant(grantId);
    deps.onRevoked?.([grantId], until);
  };
  return {
    async revokeGrant(grantId, options = {}) {
      if (options.accountId !== undefined) {
        const grant = await store.findModel('Grant', grantId);
        if (grant?.accountId !== options.accountId) throw new AppError('not_found', 'no such grant');
      }
      await revokeOne(grantId);
    },
    revokeAccountGrants: (accountId) => users.revokeGrants(accountId),
    async revokeClientGrants(clientId) {
      const grants = (await store.listGrantRecords()).filter((g) => g.clientId === clientId);
      for (const { grantId } of grants) await revokeOne(grantId);
      return grants.length;
    },
    async changePassword(accountId, currentPassword, newPassword) {
      const user = await store.findUserById(accountId);
      if (user === undefined) throw new AppError('not_found', 'no such account');
      const check = await users.checkSignIn(user.username, currentPassword);
      if (check.outcome !== 'ok') throw new AppError('forbidden', 'the current password is not right');
      await users.setPassword(user.username, newPassword);
    },
    disableAccount: (username) => users.disable(username),
    enableAccount: (username) => users.enable(username),
    setRole: (username, role) => users.setRole(username, role),
    setPassword: (username, password) => users.setPassword(username, password),
    removeAccount: (username) => users.remove(username),
    listGrants: async (accountId) => toConnectedApps(await store.listGrantRecords(accountId)),
    listAllGrants: async () => toConnectedApps(await store.listGrantRecords()),
  };
}
