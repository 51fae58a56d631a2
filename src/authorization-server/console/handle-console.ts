import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors.js';
import { CONSOLE_CALLBACK_PATH } from '../console-client.js';
import { checkCsrfToken } from '../interaction/check-csrf-token.js';
import { checkFormPost } from '../interaction/check-form-post.js';
import { isSafeToShow, renderErrorPage } from '../interaction/error-page.js';
import { readForm } from '../interaction/read-form.js';
import { requireMethod } from '../interaction/require-method.js';
import { sendPage } from '../interaction/send-page.js';
import { signedOutEverywherePage } from '../pages/account-page.js';
import { ACCOUNT_ACTIONS, ACCOUNT_PAGES, SIGNED_OUT_PATH } from './account-routes.js';
import { ADMIN_ACTIONS, backOf } from './admin-routes.js';
import { ADMIN_PAGES } from './admin-views.js';
import type { ConsoleDeps } from './console-deps.js';
import type { ActionRoute, ConsoleContext, Outcome, PageRoute } from './console-route.js';
import { consoleSession, csrfSubject, returnPath, signInLocation } from './console-session.js';
import { createNotices } from './notices.js';

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

/** Whether a path is the account page's or the admin console's. */
export const isConsolePath = (path: string): boolean => /^\/(account|admin)(\/|$)/.test(path);

const isAdminPath = (path: string) => /^\/admin(\/|$)/.test(path);
const isRead = (req: IncomingMessage) => req.method === 'GET' || req.method === 'HEAD';
const PAGES: Readonly<Record<string, PageRoute>> = { ...ACCOUNT_PAGES, ...ADMIN_PAGES };
const ACTIONS: Readonly<Record<string, ActionRoute>> = { ...ACCOUNT_ACTIONS, ...ADMIN_ACTIONS };
const lookup = <T>(routes: Readonly<Record<string, T>>, path: string) =>
  Object.hasOwn(routes, path) ? routes[path] : undefined;

function seeOther(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
}

/** A change the service refused for a reason the person can act on goes back with that reason. */
function refusal(error: unknown, path: string, form: URLSearchParams): Outcome {
  const isPlanned = isSafeToShow(error) && (error.code === 'invalid_params' || error.code === 'not_found');
  if (!isPlanned) throw error;
  return { to: backOf(path, form), notice: { kind: 'error', text: error.message } };
}

/**
 * The account page (`/account`) and the admin console (`/admin`), for the person signed in to
 * this browser's oidc-provider session: without one, a GET is sent to sign in. Every page is
 * server-rendered with the sign-in page's headers; every change is a form POST with the
 * session's CSRF token and a same-origin `Origin`, answered with a 303 (POST-redirect-GET).
 * Any `/admin` request of an account without the admin role is a 403, before anything else.
 */
export function createConsoleHandler(deps: ConsoleDeps): ConsoleHandler {
  const issuerOrigin = new URL(deps.issuer).origin;
  const notices = createNotices(deps.store);

  async function change(c: ConsoleContext, path: string, action: ActionRoute): Promise<void> {
    checkFormPost(c.req, issuerOrigin);
    const form = await readForm(c.req);
    checkCsrfToken(deps.csrf, csrfSubject(c.signedIn.session), form);
    const outcome = await action(c, form).catch((error: unknown) => refusal(error, path, form));
    if (outcome.notice === undefined) return seeOther(c.res, outcome.to);
    const id = await notices.put(c.signedIn.session.uid, outcome.notice);
    seeOther(c.res, `${outcome.to}${outcome.to.includes('?') ? '&' : '?'}notice=${id}`);
  }

  async function serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(req.url ?? path, deps.issuer);
    if (path === CONSOLE_CALLBACK_PATH || path === SIGNED_OUT_PATH) {
      requireMethod(req, 'GET');
      if (path === SIGNED_OUT_PATH) return sendPage(res, { status: 200, html: signedOutEverywherePage() });
      return seeOther(res, returnPath(url.searchParams.get('state')));
    }
    const signedIn = await consoleSession(deps, req, res);
    if (signedIn === undefined) {
      if (isRead(req)) return seeOther(res, signInLocation(deps.issuer, `${path}${url.search}`));
      throw new AppError('forbidden', 'Sign in first.');
    }
    if (isAdminPath(path) && signedIn.user.role !== 'admin') {
      throw new AppError('forbidden', 'This page is for administrators.');
    }
    if (path === '/admin') return seeOther(res, '/admin/accounts');
    const c: ConsoleContext = { deps, req, res, url, signedIn };
    const [page, action] = [lookup(PAGES, path), lookup(ACTIONS, path)];
    if (isRead(req) && page) {
      // A HEAD (a link preview, a checker) must not use up a notice meant to be shown once.
      const noticeId = req.method === 'GET' ? url.searchParams.get('notice') : null;
      const notice = await notices.take(signedIn.session.uid, noticeId);
      return sendPage(res, { status: 200, html: await page({ ...c, ...(notice && { notice }) }) });
    }
    if (action) return change(c, path, action);
    if (page) requireMethod(req, 'GET');
    throw new AppError('not_found', 'There is no such page.');
  }

  return async function handleConsole(req, res, path) {
    try {
      await serve(req, res, path);
    } catch (error) {
      if (!isSafeToShow(error)) deps.log.error('console request failed', { err: error });
      sendPage(res, renderErrorPage(error));
    }
  };
}
