import type { ServerResponse } from 'node:http';
import { loginPage } from '../pages/sign-in-pages.js';
import { clientName } from './client-name.js';
import type { InteractionDeps } from './interaction-deps.js';
import type { Interaction } from './load-interaction.js';
import { sendPage } from './send-page.js';

/** Why the sign-in form is shown again, with the username that was tried. */
export interface SignInRefusal {
  readonly status: 401 | 403 | 429;
  readonly error: string;
  readonly username: string;
}

/** The sign-in form; after a refused attempt, with the reason and the username kept. */
export async function showLogin(
  deps: Pick<InteractionDeps, 'provider' | 'csrf'>,
  res: ServerResponse,
  interaction: Interaction,
  refusal?: SignInRefusal,
): Promise<void> {
  const html = loginPage({
    action: `/interaction/${interaction.uid}/login`,
    csrf: deps.csrf.token(interaction.uid),
    clientName: await clientName(deps.provider, interaction.params.client_id),
    ...(refusal && { error: refusal.error, username: refusal.username }),
  });
  sendPage(res, { status: refusal?.status ?? 200, html });
}
