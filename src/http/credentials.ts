import type { IncomingMessage } from 'node:http';
import type { AuthScheme } from '../auth/challenges.js';
import { AppError } from '../errors.js';

/** A scheme we accept and its token68 (RFC 9110 §11.4; RFC 6750 §2.1; RFC 9449 §7.1). */
const CREDENTIALS = /^(bearer|dpop) +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^(bearer|dpop)(?:\s|$)/i;

/** An access token as a request presents it. */
export interface Credentials {
  readonly scheme: AuthScheme;
  readonly token: string;
}

const countHeaders = (req: IncomingMessage, name: string) => {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === name) count += 1;
  }
  return count;
};

/**
 * Finds the access token of a request and the scheme it came with (`Bearer` or `DPoP`, names
 * matched case-insensitively, RFC 9110 §11.1), or `undefined` when it presents none (another
 * scheme counts as none). Tokens are accepted only in the Authorization header (RFC 6750 §2.1;
 * MCP forbids the query string); a token in the query or two Authorization headers make the
 * request malformed (RFC 6750 §3.1).
 */
export function readCredentials(req: IncomingMessage, url: URL): Credentials | undefined {
  if (url.searchParams.has('access_token')) {
    throw new AppError('invalid_request', 'access tokens are accepted only in the Authorization header');
  }
  if (countHeaders(req, 'authorization') > 1) {
    throw new AppError('invalid_request', 'send exactly one Authorization header');
  }
  const header = req.headers.authorization;
  const name = header === undefined ? undefined : SCHEME.exec(header)?.[1];
  if (header === undefined || name === undefined) return undefined;
  const scheme: AuthScheme = name.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const token = CREDENTIALS.exec(header)?.[2];
  if (token === undefined)
    throw new AppError('invalid_token', `the ${scheme} token is malformed`, { scheme });
  return { scheme, token };
}

/** The request's one DPoP proof (RFC 9449 §4.3 item 1: not more than one `DPoP` header). */
export function dpopProof(req: IncomingMessage): string {
  const count = countHeaders(req, 'dpop');
  const refuse = (message: string) =>
    new AppError('invalid_dpop_proof', message, { reason: 'dpop_header', scheme: 'DPoP' });
  if (count === 0) throw refuse('a DPoP-bound token needs a DPoP proof header');
  if (count > 1) throw refuse('send exactly one DPoP header');
  return String(req.headers.dpop);
}
