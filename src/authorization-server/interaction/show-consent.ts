import type { ServerResponse } from 'node:http';
import { consentPage } from '../pages/sign-in-pages.js';
import { clientName } from './client-name.js';
import { consentScopes, missingConsent, refusedScopes } from './consent-scopes.js';
import type { InteractionDeps } from './interaction-deps.js';
import type { Interaction } from './load-interaction.js';
import { sendPage } from './send-page.js';
import { signedInUser } from './signed-in-user.js';

/** The consent page: who is signed in, which application asks, and the scopes it will get. */
export async function showConsent(
  deps: Pick<InteractionDeps, 'provider' | 'csrf' | 'users'>,
  res: ServerResponse,
  interaction: Interaction,
): Promise<void> {
  const user = await signedInUser(deps.users, interaction);
  const missing = missingConsent(interaction.prompt);
  const html = consentPage({
    action: `/interaction/${interaction.uid}/confirm`,
    abortAction: `/interaction/${interaction.uid}/abort`,
    csrf: deps.csrf.token(interaction.uid),
    clientName: await clientName(deps.provider, interaction.params.client_id),
    username: user.username,
    scopes: consentScopes(missing, user.role),
    role: user.role,
    refused: refusedScopes(missing, user.role),
  });
  sendPage(res, { status: 200, html });
}
