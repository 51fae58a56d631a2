import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';

/**
 * Hands the result of a step back to oidc-provider and sends the browser on with a 303, so that
 * reloading the next page never posts the form again.
 */
export async function finishInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  result: InteractionResults,
  { mergeWithLastSubmission = false } = {},
): Promise<void> {
  const location = await provider.interactionResult(req, res, result, { mergeWithLastSubmission });
  res.writeHead(303, { location, 'cache-control': 'no-store' }).end();
}
