import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress } from './client-address.js';
import { finishInteraction } from './finish-interaction.js';
import type { InteractionDeps } from './interaction-deps.js';
import type { Interaction } from './load-interaction.js';
import { showLogin } from './show-login.js';
import { signInProblem } from './sign-in-problem.js';

const minutesText = (ms: number) => {
  const minutes = Math.ceil(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
};

/**
 * The sign-in form's post: refused while this user or address is throttled, shown again on a
 * wrong password, and on success handed to oidc-provider as the login result.
 */
export async function signIn(
  deps: Pick<InteractionDeps, 'provider' | 'csrf' | 'users' | 'throttle' | 'log' | 'behindProxy'>,
  req: IncomingMessage,
  res: ServerResponse,
  interaction: Interaction,
  form: URLSearchParams,
): Promise<void> {
  const { throttle, log } = deps;
  if (interaction.prompt.name !== 'login') throw signInProblem('already_signed_in', 'Reload the page.');
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  const address = clientAddress(req, deps.behindProxy);
  const waitMs = throttle.retryAfterMs(username, address);
  if (waitMs > 0) {
    log.warn('sign-in throttled', { address });
    const error = `Too many failed sign-ins. Try again in ${minutesText(waitMs)}.`;
    return showLogin(deps, res, interaction, { status: 429, error, username });
  }
  const check = await deps.users.checkSignIn(username, password);
  if (check.outcome === 'wrong_credentials') {
    throttle.recordFailure(username, address);
    log.info('sign-in failed', { address });
    return showLogin(deps, res, interaction, { status: 401, error: 'Wrong username or password.', username });
  }
  if (check.outcome === 'disabled') {
    log.info('sign-in refused: the account is disabled', { address });
    const error = 'This account is disabled. Ask an administrator to enable it.';
    return showLogin(deps, res, interaction, { status: 403, error, username });
  }
  const { user } = check;
  throttle.recordSuccess(username, address);
  log.info('signed in', { sub: user.id });
  return finishInteraction(deps.provider, req, res, { login: { accountId: user.id } });
}
