import type { Configuration } from 'oidc-provider';
import { errorPage } from './pages/error-page.js';
import { PAGE_HEADERS } from './pages/layout.js';
import { continuePage, type HiddenField, signedOutPage, signOutPage } from './pages/sign-out-pages.js';

type Middleware = (
  ctx: { type: string; body: unknown; set(headers: Record<string, string>): void },
  next: () => Promise<void>,
) => Promise<void>;

/** oidc-provider's own pages, in our look: sign-out, signed out, and its errors. */
export const PAGE_SOURCES = {
  async logoutSource(ctx, form) {
    ctx.type = 'html';
    ctx.body = signOutPage(form);
  },
  async postLogoutSuccessSource(ctx) {
    ctx.type = 'html';
    ctx.body = signedOutPage();
  },
} satisfies NonNullable<NonNullable<Configuration['features']>['rpInitiatedLogout']>;

export const renderError: NonNullable<Configuration['renderError']> = async (ctx, out) => {
  ctx.type = 'html';
  ctx.body = errorPage(
    'Sign-in failed',
    String(out.error_description ?? out.error ?? 'The request was not valid.'),
  );
};

const AUTO_SUBMIT_TITLE = '<title>Submitting Callback</title>';
const FORM_ACTION = /<form method="post" action="([^"]*)">/;
const HIDDEN_INPUT = /<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g;

/**
 * For oidc-provider's answers that are not pages (JSON, its plain-text 404): never sniffed into
 * something else, never shown in a frame.
 */
const ANSWER_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
} as const;

/**
 * Gives every HTML page oidc-provider answers with the headers of ours (CSP without scripts,
 * no framing, nosniff, no caching), and every other answer nosniff and no framing; replaces its script-submitted form page (form_post
 * responses, sign-out without a session) by ours with a button. Values in that form are
 * already escaped for an attribute by oidc-provider, and the patterns admit no quote.
 */
export const securePages: Middleware = async (ctx, next) => {
  await next();
  if (!ctx.type.startsWith('text/html')) return ctx.set({ ...ANSWER_HEADERS });
  ctx.set({ ...PAGE_HEADERS });
  if (typeof ctx.body !== 'string' || !ctx.body.includes(AUTO_SUBMIT_TITLE)) return;
  const action = FORM_ACTION.exec(ctx.body)?.[1];
  if (action === undefined) return;
  const fields: HiddenField[] = [...ctx.body.matchAll(HIDDEN_INPUT)].map(([, name = '', value = '']) => ({
    name,
    value,
  }));
  ctx.body = continuePage(action, fields);
};
