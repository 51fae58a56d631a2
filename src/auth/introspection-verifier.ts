import { AppError } from '../errors.js';
import { principalFromClaims } from './claims.js';
import type { Discovery } from './discovery.js';
import { MAX_TOKEN_LENGTH } from './jwt-verifier.js';
import type { TokenVerifier } from './principal.js';

export interface IntrospectionVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly discovery: Discovery;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs?: number;
  readonly clockToleranceSec?: number;
  readonly now?: () => number;
}

/** RFC 6749 §2.3.1: client credentials are form-encoded before they are joined for Basic auth. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64');
}

const unavailable = (reason: string, cause?: unknown) =>
  new AppError('temporarily_unavailable', 'the authorization server cannot check tokens now', {
    cause: cause ?? new Error(reason),
  });
const invalid = (reason: string) => new AppError('invalid_token', reason);

/** `token_type` values of an access token (RFC 7662 §2.2, RFC 9449 §6.2); compared lower-cased. */
const ACCESS_TOKEN_TYPES = new Set(['bearer', 'access_token', 'dpop']);

/**
 * Validates opaque (or any) access tokens with RFC 7662 token introspection, authenticating as a
 * confidential client: the token must be active and an access token (Bearer, or DPoP with its
 * `cnf.jkt`), and its claims are read by the same rules as a JWT's. An unreachable endpoint is a
 * 503, never a 401.
 */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): TokenVerifier {
  const { issuer, audience, discovery, timeoutMs = 5000, clockToleranceSec = 30, now = Date.now } = options;
  const authorization = `Basic ${basicCredentials(options.clientId, options.clientSecret)}`;

  async function endpoint(): Promise<string> {
    const url = (await discovery.metadata()).introspection_endpoint;
    if (typeof url !== 'string')
      throw unavailable('the authorization server publishes no introspection_endpoint');
    return url;
  }

  return {
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw invalid('the token is too large');
      const claims = await introspect(await endpoint(), { authorization, token, timeoutMs });
      if (claims.active !== true)
        throw new AppError('invalid_token', 'the token is not active', { reason: 'inactive' });
      const tokenType = claims.token_type === undefined ? undefined : String(claims.token_type).toLowerCase();
      if (tokenType !== undefined && !ACCESS_TOKEN_TYPES.has(tokenType)) {
        throw invalid('the token is not an access token');
      }
      const principal = principalFromClaims(claims, {
        issuer,
        audience,
        now: now() / 1000,
        tolerance: clockToleranceSec,
      });
      // RFC 9449 §6.2: a DPoP token is introspected with the key it is bound to.
      if (tokenType === 'dpop' && principal.keyThumbprint === undefined) {
        throw invalid('the DPoP token names no key it is bound to');
      }
      return principal;
    },
    async ready() {
      await endpoint();
    },
  };
}

/** Asks the introspection endpoint about a token (RFC 7662 §2.1); any failure to get an answer is a 503. */
async function introspect(
  url: string,
  request: { authorization: string; token: string; timeoutMs: number },
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: request.authorization,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token: request.token, token_type_hint: 'access_token' }),
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    throw unavailable('the introspection request failed', error);
  }
  if (!response.ok) {
    await response.body?.cancel();
    // 401 means our own client credentials are wrong: the server's problem, not the caller's token.
    throw unavailable(`the introspection endpoint answered HTTP ${response.status}`);
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (typeof body !== 'object' || body === null) throw unavailable('the introspection response is not JSON');
  return body as Record<string, unknown>;
}
