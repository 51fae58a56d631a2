import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { finishInteraction } from './finish-interaction.js';

/** The person pressed Deny: the client gets `access_denied` (RFC 6749 §4.1.2.1). */
export function abortInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  return finishInteraction(provider, req, res, {
    error: 'access_denied',
    error_description: 'The user denied access',
  });
}
