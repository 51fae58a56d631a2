import { errorBlock, escapeHtml, layout } from './layout.js';

export interface LoginPage {
  readonly action: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly username?: string;
  readonly error?: string;
}

export function loginPage(page: LoginPage): string {
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(page.clientName)}</strong></p>
<form method="post" action="${escapeHtml(page.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(page.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
${errorBlock(page.error)}
<button type="submit">Sign in</button>
</form>`,
  );
}

export interface ConsentPage {
  readonly action: string;
  readonly abortAction: string;
  readonly csrf: string;
  readonly clientName: string;
  readonly username: string;
  readonly scopes: readonly string[];
  /** The account's role, named when some requested scopes are beyond it. */
  readonly role: string;
  /** Requested scopes this account's role can never be granted. */
  readonly refused: readonly string[];
}

const SCOPE_TEXT: Record<string, string> = {
  'create:todos': 'Create todos',
  'read:todos': "Read everyone's todos",
  'delete:todos': "Delete anyone's todos",
  offline_access: 'Stay signed in (refresh tokens)',
  openid: 'Know who you are',
  profile: 'See your username',
};

const scopeItems = (scopes: readonly string[]) =>
  scopes
    .map((scope) => `<li>${escapeHtml(SCOPE_TEXT[scope] ?? scope)} <code>${escapeHtml(scope)}</code></li>`)
    .join('\n');

/** What the app asked for and this account can never have, and why, so nobody retries in vain. */
function refusedBlock(page: ConsentPage): string {
  if (page.refused.length === 0) return '';
  return `<p class="note" role="note">Not available to your account (role <strong>${escapeHtml(page.role)}</strong>),
so the app will not get them however often it asks; an administrator can change your role:</p>
<ul class="refused">\n${scopeItems(page.refused)}\n</ul>`;
}

export function consentPage(page: ConsentPage): string {
  const items = scopeItems(page.scopes);
  return layout(
    'Allow access',
    `<h1>Allow access</h1>
<p><strong>${escapeHtml(page.clientName)}</strong> wants to use your todos as <strong>${escapeHtml(page.username)}</strong>.
It can always read, change and delete your own todos.</p>
${items ? `<ul>\n${items}\n</ul>` : '<p>It gets no new permissions.</p>'}
${refusedBlock(page)}
<form method="post" action="${escapeHtml(page.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">
<button type="submit">Allow</button>
</form>
<form method="post" action="${escapeHtml(page.abortAction)}">
<input type="hidden" name="csrf" value="${escapeHtml(page.csrf)}">
<button type="submit" class="secondary">Deny</button>
</form>`,
  );
}
