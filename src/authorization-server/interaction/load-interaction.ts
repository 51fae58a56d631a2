import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { signInProblem } from './sign-in-problem.js';

/** A sign-in in progress as oidc-provider keeps it: its prompt, session and the client's request. */
export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The interaction bound to this browser by oidc-provider's cookie, which must be the one the URL
 * names: an old tab or a link from another browser cannot continue someone's sign-in.
 */
export async function loadInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<Interaction> {
  const interaction = await provider.interactionDetails(req, res).catch((cause: unknown) => {
    throw signInProblem(
      'expired',
      'This sign-in has expired or was already used. Start again from your app.',
      cause,
    );
  });
  if (interaction.uid !== uid) {
    throw signInProblem('other_browser_session', 'This sign-in does not match your browser session.');
  }
  return interaction;
}
