import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { UserRecord } from '../storage/auth-store.js';
import { readBody } from '../web/read-body.js';
import type { Csrf } from './csrf.js';
import { isUnexpected, renderErrorPage } from './interaction/error-page.js';
import { sendPage } from './interaction/send-page.js';
import { signInProblem } from './interaction/sign-in-problem.js';
import type { LoginThrottle } from './login-throttle.js';
import { consentPage, loginPage } from './pages.js';
import { grantableScopes } from './roles.js';
import type { UserDirectory } from './users.js';

const MAX_FORM_BYTES = 16 * 1024;
const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,128})(?:\/(login|confirm|abort))?$/;

export interface InteractionDeps {
  readonly provider: Provider;
  readonly users: UserDirectory;
  readonly throttle: LoginThrottle;
  readonly csrf: Csrf;
  readonly issuer: string;
  readonly log: Logger;
  /** Whether a TLS-terminating proxy forwards requests (the public URL is https). */
  readonly behindProxy: boolean;
}

/**
 * The address to throttle sign-ins by. Behind a proxy that is the address the proxy appended last
 * to X-Forwarded-For (earlier entries come from the client and can be forged); otherwise the socket's.
 */
export function clientAddress(req: IncomingMessage, behindProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const last = typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : undefined;
  return (behindProxy && last) || req.socket.remoteAddress || 'unknown';
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
    throw new AppError('unsupported_media_type', 'The form was not sent as a web form.');
  }
  const body = await readBody(req, MAX_FORM_BYTES).catch((cause: unknown) => {
    if (cause instanceof AppError && cause.code === 'payload_too_large')
      throw new AppError('payload_too_large', 'The form was too large.', { cause });
    throw cause;
  });
  return new URLSearchParams(body);
}

/**
 * The sign-in and consent pages the provider sends users to (`/interaction/:uid`). They work
 * without JavaScript; every POST needs the CSRF token and a same-origin (or absent) `Origin`.
 */
export function createInteractionHandler(deps: InteractionDeps) {
  const { provider, users, throttle, csrf, log } = deps;
  const issuerOrigin = new URL(deps.issuer).origin;

  const clientName = async (clientId: unknown): Promise<string> => {
    const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? (typeof clientId === 'string' ? clientId : 'an application');
  };

  const finish = async (
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResults,
    merge = false,
  ) => {
    const location = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: merge });
    res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
  };

  const signedInUser = async (details: Details): Promise<UserRecord> => {
    const accountId = details.session?.accountId;
    const user = accountId === undefined ? undefined : await users.findById(accountId);
    if (user === undefined)
      throw signInProblem('session_ended', 'Your session has ended. Start again from your app.');
    return user;
  };

  async function showLogin(
    res: ServerResponse,
    details: Details,
    status = 200,
    error?: string,
    username?: string,
  ) {
    sendPage(res, {
      status,
      html: loginPage({
        action: `/interaction/${details.uid}/login`,
        csrf: csrf.token(details.uid),
        clientName: await clientName(details.params.client_id),
        ...(error !== undefined && { error }),
        ...(username !== undefined && { username }),
      }),
    });
  }

  /** The scopes this sign-in will grant: what was asked for, within the user's role. */
  const consentScopes = (details: Details, user: UserRecord): string[] => {
    const oidc = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    const resources =
      (details.prompt.details.missingResourceScopes as Record<string, string[]> | undefined) ?? {};
    const resourceScopes = Object.values(resources).flatMap((scopes) => grantableScopes(user.role, scopes));
    return [...new Set([...resourceScopes, ...oidc.filter((s) => s === 'offline_access')])];
  };

  async function showConsent(res: ServerResponse, details: Details) {
    const user = await signedInUser(details);
    sendPage(res, {
      status: 200,
      html: consentPage({
        action: `/interaction/${details.uid}/confirm`,
        abortAction: `/interaction/${details.uid}/abort`,
        csrf: csrf.token(details.uid),
        clientName: await clientName(details.params.client_id),
        username: user.username,
        scopes: consentScopes(details, user),
      }),
    });
  }

  async function login(req: IncomingMessage, res: ServerResponse, details: Details, form: URLSearchParams) {
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    const address = clientAddress(req, deps.behindProxy);
    const waitMs = throttle.retryAfterMs(username, address);
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      log.warn('sign-in throttled', { address });
      return showLogin(
        res,
        details,
        429,
        `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        username,
      );
    }
    const user = await users.authenticate(username, password);
    if (user === undefined) {
      throttle.recordFailure(username, address);
      log.info('sign-in failed', { address });
      return showLogin(res, details, 401, 'Wrong username or password.', username);
    }
    throttle.recordSuccess(username, address);
    log.info('signed in', { sub: user.id });
    return finish(req, res, { login: { accountId: user.id } });
  }

  async function confirm(req: IncomingMessage, res: ServerResponse, details: Details) {
    const user = await signedInUser(details);
    const clientId = details.params.client_id as string;
    const grant =
      (details.grantId && (await provider.Grant.find(details.grantId))) ||
      new provider.Grant({ accountId: user.id, clientId });
    const missing = details.prompt.details;
    const oidc = (missing.missingOIDCScope as string[] | undefined) ?? [];
    if (oidc.length > 0) grant.addOIDCScope(oidc);
    const claims = (missing.missingOIDCClaims as string[] | undefined) ?? [];
    if (claims.length > 0) grant.addOIDCClaims(claims);
    const resources = (missing.missingResourceScopes as Record<string, string[]> | undefined) ?? {};
    for (const [indicator, scopes] of Object.entries(resources)) {
      const granted = grantableScopes(user.role, scopes);
      const refused = scopes.filter((scope) => !granted.includes(scope));
      if (granted.length > 0) grant.addResourceScope(indicator, granted);
      if (refused.length > 0) grant.rejectResourceScope(indicator, refused);
    }
    const grantId = await grant.save();
    return finish(req, res, { consent: { grantId } }, true);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      const match = ROUTE.exec(path);
      if (!match) throw new AppError('not_found', 'There is nothing here.');
      const [, uid, action] = match;
      const details = await provider.interactionDetails(req, res).catch((cause: unknown) => {
        throw signInProblem(
          'expired',
          'This sign-in has expired or was already used. Start again from your app.',
          cause,
        );
      });
      if (details.uid !== uid)
        throw signInProblem('other_browser_session', 'This sign-in does not match your browser session.');

      if (action === undefined) {
        if (req.method !== 'GET') throw new AppError('method_not_allowed', 'Use the form.', { allow: 'GET' });
        return details.prompt.name === 'login'
          ? await showLogin(res, details)
          : await showConsent(res, details);
      }
      if (req.method !== 'POST') throw new AppError('method_not_allowed', 'Use the form.', { allow: 'POST' });
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== issuerOrigin)
        throw new AppError('forbidden_origin', 'Cross-site form posts are refused.');
      const form = await readForm(req);
      if (!csrf.isValid(details.uid, form.get('csrf'))) {
        throw new AppError('forbidden', 'The form has expired. Reload the page and try again.');
      }
      switch (action) {
        case 'login':
          if (details.prompt.name !== 'login') throw signInProblem('already_signed_in', 'Reload the page.');
          return await login(req, res, details, form);
        case 'confirm':
          if (details.prompt.name !== 'consent') throw signInProblem('not_signed_in', 'Reload the page.');
          return await confirm(req, res, details);
        case 'abort':
          return await finish(req, res, {
            error: 'access_denied',
            error_description: 'The user denied access',
          });
      }
      throw new AppError('not_found', 'There is nothing here.');
    } catch (error) {
      if (isUnexpected(error)) log.error('interaction failed', { err: error });
      sendPage(res, renderErrorPage(error));
    }
  };
}
