import type { AuthStore, Role } from '../storage/auth-store.js';
import { checkedPassword, existingUser, keepAnAdmin } from './account-rules.js';
import { hashPassword } from './passwords.js';
import { revokedUntil } from './token-lifetimes.js';

export interface AccountChangeDeps {
  readonly store: AuthStore;
  readonly now: () => Date;
  /**
   * Told of grants just revoked, so that this process refuses their tokens at once rather than at
   * its next read of the shared revocation list (every instance reads it within seconds).
   */
  readonly onRevoked?: (grantIds: readonly string[], until: number) => void;
}

/**
 * The changes to an account that take away what it was granted: each revokes every grant of the
 * account (recorded on the shared revocation list, so that their access tokens are refused at
 * `/mcp`) and deletes its refresh tokens and sessions, so that it must sign in again.
 */
export interface AccountChanges {
  /** Revokes every grant, token and session of an account ("sign out everywhere"); returns how many grants. */
  revokeGrants(accountId: string): Promise<number>;
  /** Removes a user and revokes every grant and token they hold. */
  remove(username: string): Promise<void>;
  /** Changes a role and revokes the user's grants, so no token outlives the old role's scopes. */
  setRole(username: string, role: Role): Promise<void>;
  /** Sets a new password (generated when none is given) and revokes the user's sign-ins. */
  setPassword(username: string, password?: string): Promise<string>;
  /** Stops an account from signing in and revokes its grants; the last enabled admin stays. */
  disable(username: string): Promise<void>;
  /** Lets a disabled account sign in again (its old grants stay revoked). */
  enable(username: string): Promise<void>;
}

export function createAccountChanges(deps: AccountChangeDeps): AccountChanges {
  const { store, now } = deps;
  const revokeGrants = async (accountId: string) => {
    const until = revokedUntil(now());
    const grantIds = await store.revokeAccount(accountId, until);
    deps.onRevoked?.(grantIds, until);
    return grantIds.length;
  };
  return {
    revokeGrants,
    async remove(username) {
      const user = await existingUser(store, username);
      await keepAnAdmin(store, user);
      await store.deleteUser(user.id);
      await revokeGrants(user.id);
    },
    async setRole(username, role) {
      const user = await existingUser(store, username);
      if (role !== 'admin') await keepAnAdmin(store, user);
      await store.setUserRole(user.id, role);
      await revokeGrants(user.id);
    },
    async setPassword(username, password) {
      const user = await existingUser(store, username);
      const secret = await checkedPassword(password, user.username);
      await store.setUserPassword(user.id, await hashPassword(secret));
      await revokeGrants(user.id);
      return secret;
    },
    async disable(username) {
      const user = await existingUser(store, username);
      await keepAnAdmin(store, user);
      await store.setUserDisabled(user.id, user.disabledAt ?? now().toISOString());
      await revokeGrants(user.id);
    },
    async enable(username) {
      const user = await existingUser(store, username);
      await store.setUserDisabled(user.id, undefined);
    },
  };
}
