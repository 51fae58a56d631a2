import type { IncomingMessage, ServerResponse } from 'node:http';
import { abortInteraction } from './abort-interaction.js';
import { checkCsrfToken } from './check-csrf-token.js';
import { checkFormPost } from './check-form-post.js';
import { confirmConsent } from './confirm-consent.js';
import { isSafeToShow, renderErrorPage } from './error-page.js';
import type { InteractionDeps } from './interaction-deps.js';
import { loadInteraction } from './load-interaction.js';
import { readForm } from './read-form.js';
import { requireMethod } from './require-method.js';
import { matchInteractionRoute } from './route.js';
import { sendPage } from './send-page.js';
import { showConsent } from './show-consent.js';
import { showLogin } from './show-login.js';
import { signIn } from './sign-in.js';

export type InteractionHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

/**
 * The sign-in and consent pages the provider sends users to (`/interaction/:uid`). They work
 * without JavaScript; every POST needs the CSRF token and a same-origin (or absent) `Origin`.
 * Each step throws an `AppError`, answered here as an error page.
 */
export function createInteractionHandler(deps: InteractionDeps): InteractionHandler {
  const issuerOrigin = new URL(deps.issuer).origin;

  async function serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const { uid, action } = matchInteractionRoute(path);
    const interaction = await loadInteraction(deps.provider, req, res, uid);
    if (action === undefined) {
      requireMethod(req, 'GET');
      return interaction.prompt.name === 'login'
        ? showLogin(deps, res, interaction)
        : showConsent(deps, res, interaction);
    }
    checkFormPost(req, issuerOrigin);
    const form = await readForm(req);
    checkCsrfToken(deps.csrf, interaction.uid, form);
    switch (action) {
      case 'login':
        return signIn(deps, req, res, interaction, form);
      case 'confirm':
        return confirmConsent(deps, req, res, interaction);
      case 'abort':
        return abortInteraction(deps.provider, req, res);
    }
  }

  return async function handleInteraction(req, res, path) {
    try {
      await serve(req, res, path);
    } catch (error) {
      if (!isSafeToShow(error)) deps.log.error('interaction failed', { err: error });
      sendPage(res, renderErrorPage(error));
    }
  };
}
