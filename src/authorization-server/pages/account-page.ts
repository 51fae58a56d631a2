import type { ConnectedApp } from '../connected-apps.js';
import {
  type ConsoleFrame,
  consolePage,
  originLabel,
  postForm,
  row,
  shortTime,
  table,
} from './console-parts.js';
import { escapeHtml, layout } from './layout.js';

/**
 * The connected apps as table rows, each with a Revoke button naming its app. First and last use
 * are the calls its tokens made to `/mcp`, to the minute; an app that made none shows a dash.
 */
export function appRows(apps: readonly ConnectedApp[], csrf: string, action: string): string[] {
  return apps.map((app) =>
    row([
      `<strong>${escapeHtml(app.clientName)}</strong><small>${escapeHtml(app.clientId)}</small>`,
      escapeHtml(originLabel(app.clientOrigin)),
      app.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join('<br>'),
      shortTime(app.firstUsedAt),
      shortTime(app.lastUsedAt),
      postForm({
        action,
        csrf,
        hidden: { grant: app.grantId, account: app.accountId },
        button: 'Revoke',
        label: `Revoke ${app.clientName}`,
        className: 'small danger',
      }),
    ]),
  );
}

export const APP_HEADINGS = ['App', 'Registered by', 'Scopes', 'First use (UTC)', 'Last use (UTC)', ''];

function passwordForm(csrf: string): string {
  const field = (id: string, text: string, autocomplete: string) =>
    `<div><label for="${id}">${text}</label><input id="${id}" name="${id}" type="password" autocomplete="${autocomplete}" required></div>`;
  return postForm({
    action: '/account/password',
    csrf,
    fields: `<div class="row">${field('current', 'Current password', 'current-password')}${field('new', 'New password', 'new-password')}</div>`,
    button: 'Change password',
  });
}

/** The account page: connected apps, signing out everywhere, and a new password. */
export function accountPage(frame: ConsoleFrame, apps: readonly ConnectedApp[]): string {
  const rows = appRows(apps, frame.csrf, '/account/revoke');
  return consolePage(
    frame,
    `<h2>Connected apps</h2>
<p>These apps can use your todos until you revoke their access. Revoking stops them at once.</p>
${table('Apps with access to your account', APP_HEADINGS, rows, 'No app has access to your account.')}
<h2>Sessions</h2>
<p>Sign out of Todo Manager in every browser, this one too. Apps keep their access.</p>
${postForm({ action: '/account/sign-out-everywhere', csrf: frame.csrf, button: 'Sign out everywhere', className: 'secondary' })}
<h2>Password</h2>
<p>A new password signs you out everywhere else and revokes every app's access.</p>
${passwordForm(frame.csrf)}`,
  );
}

/** After signing out everywhere: nothing to show but the way back in. */
export function signedOutEverywherePage(): string {
  return layout(
    'Signed out everywhere',
    `<h1>Signed out everywhere</h1>
<p role="status">Every session of your account has ended. <a href="/account">Sign in again</a>.</p>`,
  );
}
