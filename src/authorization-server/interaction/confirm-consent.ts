import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { UserRecord } from '../../storage/auth-store.js';
import { decideResourceScopes, missingConsent } from './consent-scopes.js';
import { finishInteraction } from './finish-interaction.js';
import type { InteractionDeps } from './interaction-deps.js';
import type { Interaction } from './load-interaction.js';
import { signInProblem } from './sign-in-problem.js';
import { signedInUser } from './signed-in-user.js';

/**
 * The grant this consent leaves behind: the client's existing grant (or a new one) plus what the
 * prompt found missing, with the resource scopes the user's role does not allow rejected.
 */
async function buildGrant(provider: Provider, interaction: Interaction, user: UserRecord): Promise<string> {
  const grant =
    (interaction.grantId && (await provider.Grant.find(interaction.grantId))) ||
    new provider.Grant({ accountId: user.id, clientId: interaction.params.client_id as string });
  const missing = missingConsent(interaction.prompt);
  if (missing.oidcScopes.length > 0) grant.addOIDCScope(missing.oidcScopes);
  if (missing.oidcClaims.length > 0) grant.addOIDCClaims(missing.oidcClaims);
  for (const { indicator, granted, refused } of decideResourceScopes(missing, user.role)) {
    if (granted.length > 0) grant.addResourceScope(indicator, granted);
    if (refused.length > 0) grant.rejectResourceScope(indicator, refused);
  }
  return grant.save();
}

/** The consent form's Allow: saves the grant and hands it to oidc-provider as the consent result. */
export async function confirmConsent(
  deps: Pick<InteractionDeps, 'provider' | 'users'>,
  req: IncomingMessage,
  res: ServerResponse,
  interaction: Interaction,
): Promise<void> {
  if (interaction.prompt.name !== 'consent') throw signInProblem('not_signed_in', 'Reload the page.');
  const user = await signedInUser(deps.users, interaction);
  const grantId = await buildGrant(deps.provider, interaction, user);
  await finishInteraction(
    deps.provider,
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}
