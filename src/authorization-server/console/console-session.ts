import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { UserRecord } from '../../storage/auth-store.js';
import { CONSOLE_CALLBACK_PATH, CONSOLE_CLIENT_ID } from '../console-client.js';
import type { ConsoleDeps } from './console-deps.js';

type Session = Awaited<ReturnType<Provider['Session']['get']>>;

/** The person signed in to this browser, by oidc-provider's session cookie. */
export interface SignedIn {
  readonly user: UserRecord;
  readonly session: Session;
  /** The CSRF token of this session's forms. */
  readonly csrf: string;
}

/** CSRF tokens are bound to the session (its uid survives oidc-provider's id rotation). */
export const csrfSubject = (session: Session) => `console:${session.uid}`;

/**
 * The signed-in person, from the same session cookie oidc-provider reads at its authorization
 * endpoint; `undefined` without a session, or when its account is gone or disabled (a session
 * made before the account was disabled is treated as signed out, as the sign-in page would).
 */
export async function consoleSession(
  deps: Pick<ConsoleDeps, 'provider' | 'users' | 'csrf' | 'behindProxy'>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<SignedIn | undefined> {
  const ctx = { req, res, secure: deps.behindProxy } as unknown as Parameters<Provider['Session']['get']>[0];
  const session = await deps.provider.Session.get(ctx);
  const user = session.accountId === undefined ? undefined : await deps.users.findById(session.accountId);
  if (user === undefined || user.disabledAt !== undefined) return undefined;
  return { user, session, csrf: deps.csrf.token(csrfSubject(session)) };
}

const RETURN_PATH = /^\/(account|admin)(\/[a-z-]*)*(\?[\w%=&.-]*)?$/;

/** Where to go after signing in: one of these pages, never anywhere a crafted link names. */
export const returnPath = (state: string | null): string =>
  state !== null && RETURN_PATH.test(state) ? state : '/account';

/**
 * Signing in goes through the authorization endpoint as the console's own client, which shows
 * the sign-in page (with its throttle) and comes back to the console's callback; the code is
 * never exchanged, so its PKCE challenge is random. `state` carries the page asked for.
 */
export function signInLocation(issuer: string, wanted: string): string {
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: CONSOLE_CLIENT_ID,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: `${issuer}${CONSOLE_CALLBACK_PATH}`,
    code_challenge: randomBytes(32).toString('base64url'),
    code_challenge_method: 'S256',
    state: returnPath(wanted),
  }).toString();
  return url.href;
}
