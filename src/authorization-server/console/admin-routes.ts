import { AppError } from '../../errors.js';
import type { Role } from '../../storage/auth-store.js';
import { isRole } from '../roles.js';
import { type ActionRoute, done, field } from './console-route.js';

const ACCOUNTS = '/admin/accounts';
const CLIENTS = '/admin/clients';

function role(form: URLSearchParams): Role {
  const value = field(form, 'role');
  if (!isRole(value)) throw new AppError('invalid_params', 'A role is user or admin.');
  return value;
}

const REVOKED = "their sessions and every app's access are revoked";

/** The admin console's changes; each service call records itself in the audit trail. */
export const ADMIN_ACTIONS: Readonly<Record<string, ActionRoute>> = {
  '/admin/accounts/add': async (c, form) => {
    const { user, password } = await c.deps.adminAccounts.add(
      c.signedIn.user,
      field(form, 'username'),
      role(form),
    );
    return { to: ACCOUNTS, notice: done(`Added ${user.username} (${user.role}).`, password) };
  },
  '/admin/accounts/role': async (c, form) => {
    const next = role(form);
    const user = await c.deps.adminAccounts.setRole(c.signedIn.user, field(form, 'account'), next);
    return { to: ACCOUNTS, notice: done(`${user.username} is now ${next}; ${REVOKED}.`) };
  },
  '/admin/accounts/reset-password': async (c, form) => {
    const reset = await c.deps.adminAccounts.resetPassword(c.signedIn.user, field(form, 'account'));
    return {
      to: ACCOUNTS,
      notice: done(`New password for ${reset.user.username}; ${REVOKED}.`, reset.password),
    };
  },
  '/admin/accounts/remove': async (c, form) => {
    const user = await c.deps.adminAccounts.remove(c.signedIn.user, field(form, 'account'));
    return { to: ACCOUNTS, notice: done(`Removed ${user.username}; ${REVOKED}.`) };
  },
  '/admin/accounts/disable': async (c, form) => {
    const user = await c.deps.adminAccounts.disable(c.signedIn.user, field(form, 'account'));
    return { to: ACCOUNTS, notice: done(`Disabled ${user.username}: they cannot sign in; ${REVOKED}.`) };
  },
  '/admin/accounts/enable': async (c, form) => {
    const user = await c.deps.adminAccounts.enable(c.signedIn.user, field(form, 'account'));
    return { to: ACCOUNTS, notice: done(`Enabled ${user.username}: they can sign in again.`) };
  },
  '/admin/grants/revoke': async (c, form) => {
    const accountId = field(form, 'account');
    await c.deps.adminAccounts.revokeGrant(c.signedIn.user, accountId, field(form, 'grant'));
    return { to: `/admin/grants?account=${encodeURIComponent(accountId)}`, notice: done('Access revoked.') };
  },
  '/admin/clients/revoke': async (c, form) => {
    const count = await c.deps.adminClients.revokeGrants(c.signedIn.user, field(form, 'client'));
    return { to: CLIENTS, notice: done(`Revoked ${count} grant${count === 1 ? '' : 's'}.`) };
  },
  '/admin/clients/delete': async (c, form) => {
    const client = await c.deps.adminClients.remove(c.signedIn.user, field(form, 'client'));
    return { to: CLIENTS, notice: done(`Deleted ${client.name} and revoked its grants.`) };
  },
};

/** Where a refused change sends the browser back to, with the reason. */
export function backOf(path: string, form: URLSearchParams): string {
  if (path.startsWith('/account')) return '/account';
  if (path.startsWith(CLIENTS)) return CLIENTS;
  const account = form.get('account');
  return path.startsWith('/admin/grants') && account
    ? `/admin/grants?account=${encodeURIComponent(account)}`
    : ACCOUNTS;
}
