import type { Role, UserRecord } from '../../storage/auth-store.js';
import type { ConnectedApp } from '../connected-apps.js';
import { ROLES } from '../roles.js';
import { APP_HEADINGS, appRows } from './account-page.js';
import { type ConsoleFrame, consolePage, postForm, row, shortTime, table } from './console-parts.js';
import { escapeHtml } from './layout.js';

const roleOptions = (selected: Role) =>
  ROLES.map((r) => `<option value="${r}"${r === selected ? ' selected' : ''}>${r}</option>`).join('');

/** Disable for an enabled account, Enable for a disabled one. */
function stateForm(user: UserRecord, csrf: string): string {
  const verb = user.disabledAt === undefined ? 'Disable' : 'Enable';
  return postForm({
    action: `/admin/accounts/${verb.toLowerCase()}`,
    csrf,
    hidden: { account: user.id },
    button: verb,
    label: `${verb} ${user.username}`,
    className: verb === 'Disable' ? 'small danger' : 'small',
  });
}

function accountRow(user: UserRecord, csrf: string): string {
  const id = { account: user.id };
  const name = escapeHtml(user.username);
  return row([
    `<a href="/admin/grants?account=${encodeURIComponent(user.id)}">${name}</a>`,
    postForm({
      action: '/admin/accounts/role',
      csrf,
      hidden: id,
      fields: `<select name="role" aria-label="Role of ${name}">${roleOptions(user.role)}</select>`,
      button: 'Set role',
      label: `Set role of ${user.username}`,
      className: 'small',
    }),
    shortTime(user.createdAt),
    `${user.disabledAt === undefined ? 'enabled' : '<strong>disabled</strong>'}${stateForm(user, csrf)}`,
    postForm({
      action: '/admin/accounts/reset-password',
      csrf,
      hidden: id,
      button: 'Reset password',
      label: `Reset password of ${user.username}`,
      className: 'small secondary',
    }),
    postForm({
      action: '/admin/accounts/remove',
      csrf,
      hidden: id,
      button: 'Remove',
      label: `Remove ${user.username}`,
      className: 'small danger',
    }),
  ]);
}

function addForm(csrf: string): string {
  return postForm({
    action: '/admin/accounts/add',
    csrf,
    fields: `<div class="row"><div><label for="username">Username</label><input id="username" name="username" autocomplete="off" autocapitalize="none" spellcheck="false" required></div><div><label for="role">Role</label><select id="role" name="role">${roleOptions('user')}</select></div></div>`,
    button: 'Add account',
  });
}

/** Every account, with role, state, password and removal controls, and a form to add one. */
export function adminAccountsPage(frame: ConsoleFrame, users: readonly UserRecord[]): string {
  const rows = users.map((user) => accountRow(user, frame.csrf));
  return consolePage(
    frame,
    `<p>A new role or password, disabling or removing an account revokes its sessions and every app's access.
A disabled account cannot sign in until enabled.</p>
${table('Accounts', ['Account', 'Role', 'Created (UTC)', 'State', '', ''], rows, 'There are no accounts.')}
<h2>Add an account</h2>
<p>A password is generated and shown once.</p>
${addForm(frame.csrf)}`,
  );
}

/** The apps holding access to one account, each revocable. */
export function adminGrantsPage(
  frame: ConsoleFrame,
  user: UserRecord,
  apps: readonly ConnectedApp[],
): string {
  const rows = appRows(apps, frame.csrf, '/admin/grants/revoke');
  return consolePage(
    frame,
    `<p>Account <strong>${escapeHtml(user.username)}</strong> (${escapeHtml(user.role)}), subject <code>${escapeHtml(user.id)}</code>.</p>
${table(`Apps with access to ${user.username}`, APP_HEADINGS, rows, 'No app has access to this account.')}
<p><a href="/admin/accounts">Back to accounts</a></p>`,
  );
}
