import type { IncomingMessage } from 'node:http';
import type { Principal, TokenVerifier } from '../auth/principal.js';
import { AppError } from '../errors.js';
import { bearerToken } from './bearer-token.js';
import type { Metrics } from './metrics.js';

/**
 * The bearer gate (RFC 6750): the principal a request's access token speaks for. No token is
 * `unauthorized` (a 401 challenge without an error code); a bad one throws its `AppError`. Every
 * refusal is counted by reason.
 */
export function createBearerGate(verifier: TokenVerifier, metrics: Metrics) {
  return async function authenticate(req: IncomingMessage, url: URL): Promise<Principal> {
    try {
      const token = bearerToken(req, url);
      if (token === undefined) throw new AppError('unauthorized', 'an access token is required');
      return await verifier.verify(token);
    } catch (error) {
      metrics.countAuthFailure(
        error instanceof AppError
          ? error.code === 'unauthorized'
            ? 'missing'
            : (error.reason ?? error.code)
          : 'error',
      );
      throw error;
    }
  };
}
