import { escapeHtml, layout } from './layout.js';

/** A hidden form field, its value already escaped for an attribute. */
export interface HiddenField {
  readonly name: string;
  readonly value: string;
}

const hidden = (fields: readonly HiddenField[]) =>
  fields.map((f) => `<input type="hidden" name="${escapeHtml(f.name)}" value="${f.value}">`).join('\n');

/**
 * Asks before signing out (OpenID RP-Initiated Logout): oidc-provider gives the form, with its
 * own anti-forgery field, and the buttons submit it.
 */
export function signOutPage(providerForm: string): string {
  return layout(
    'Sign out',
    `<h1>Sign out</h1>
<p>Sign out of Todo Manager in this browser? Apps you allowed keep their access until you revoke it.</p>
${providerForm}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}

export function signedOutPage(): string {
  return layout(
    'Signed out',
    `<h1>Signed out</h1>
<p>You are signed out of Todo Manager in this browser. You can close this page.</p>`,
  );
}

/**
 * A form that goes on with one click where oidc-provider would submit it by script: back to an
 * app that asked for a form post, or on to sign out. No script runs on any of our pages.
 */
export function continuePage(action: string, fields: readonly HiddenField[]): string {
  const isSignOut = /\/session\/end\/confirm$/.test(new URL(action, 'http://x').pathname);
  const [title, text, button] = isSignOut
    ? ['Sign out', 'Sign out of Todo Manager in this browser?', 'Sign out']
    : ['Continue', 'You are done here: go back to the app to continue.', 'Continue'];
  return layout(
    title,
    `<h1>${title}</h1>
<p>${text}</p>
<form method="post" action="${action}">
${hidden(fields)}
<button type="submit" autofocus>${button}</button>
</form>`,
  );
}
