import type { IncomingMessage } from 'node:http';
import type { AuthScheme } from '../auth/challenges.js';
import type { DpopProofVerifier } from '../auth/dpop-proof.js';
import type { Principal, TokenVerifier } from '../auth/principal.js';
import { AppError } from '../errors.js';
import { dpopProof, readCredentials } from './credentials.js';
import type { Metrics } from './metrics.js';

export interface AuthGateDeps {
  readonly verifier: TokenVerifier;
  readonly proofs: DpopProofVerifier;
  /** `AUTH_DPOP`: whether Bearer tokens, DPoP-bound tokens or both are accepted. */
  readonly dpop: 'allowed' | 'required' | 'off';
  /** Whether the token's grant was revoked after the token was issued. */
  readonly isRevoked?: (principal: Principal) => boolean;
  /** Told of each admitted principal (it must not block: the request does not wait). */
  readonly onAdmitted?: (principal: Principal) => void;
  readonly metrics: Metrics;
}

const refuse = (scheme: AuthScheme, message: string, reason: string) =>
  new AppError('invalid_token', message, { scheme, reason });

/**
 * The gate in front of `/mcp`: the principal a request's access token speaks for. A Bearer token
 * (RFC 6750) must not be bound to a key; a DPoP token (RFC 9449 §7.1) must be, and comes with a
 * proof that is checked on every request, also when the token's own verification was cached.
 * No token is `unauthorized` (a 401 challenge without an error code); a bad one throws its
 * `AppError`, carrying the scheme whose challenge answers it. Every refusal is counted by reason.
 */
export function createAuthGate(deps: AuthGateDeps) {
  return async function authenticate(req: IncomingMessage, url: URL): Promise<Principal> {
    try {
      const principal = await admit(req, url, deps);
      deps.onAdmitted?.(principal);
      return principal;
    } catch (error) {
      deps.metrics.countAuthFailure(
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

async function admit(req: IncomingMessage, url: URL, deps: AuthGateDeps): Promise<Principal> {
  const credentials = readCredentials(req, url);
  // With DPoP off, the DPoP scheme is one this server does not know: no credentials at all.
  if (credentials === undefined || (credentials.scheme === 'DPoP' && deps.dpop === 'off')) {
    throw new AppError('unauthorized', 'an access token is required');
  }
  const { scheme, token } = credentials;
  if (scheme === 'Bearer' && deps.dpop === 'required') {
    throw refuse('DPoP', 'this resource accepts only DPoP-bound access tokens', 'dpop_required');
  }
  const proof = scheme === 'DPoP' ? dpopProof(req) : undefined;
  const principal = await verifyAs(scheme, token, deps.verifier);
  if (principal.keyThumbprint === undefined && proof !== undefined) {
    throw refuse('DPoP', 'the access token is not bound to a key; send it as a Bearer token', 'dpop_unbound');
  }
  if (principal.keyThumbprint !== undefined && proof === undefined) {
    // RFC 9449 §7.2: a key-bound token used as a bearer token is refused, never downgraded.
    throw refuse(
      'Bearer',
      'the token is bound to a key and cannot be used as a bearer token',
      'bound_as_bearer',
    );
  }
  if (deps.isRevoked?.(principal)) {
    throw refuse(scheme, 'the grant this token was issued under has been revoked', 'revoked');
  }
  if (principal.keyThumbprint !== undefined && proof !== undefined) {
    const { keyThumbprint } = principal;
    await deps.proofs.verify({ proof, method: req.method ?? '', accessToken: token, keyThumbprint });
  }
  return principal;
}

/** Verifies the token (cached); its refusal is answered with the challenge of the scheme it came with. */
async function verifyAs(scheme: AuthScheme, token: string, verifier: TokenVerifier): Promise<Principal> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof AppError) || error.scheme !== undefined || error.code !== 'invalid_token') {
      throw error;
    }
    const { reason } = error;
    throw new AppError(error.code, error.message, { cause: error, scheme, ...(reason && { reason }) });
  }
}
