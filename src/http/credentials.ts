import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors.js';

/** RFC 6750 §2.1 `b64token` after the `Bearer` scheme name (case-insensitive, RFC 9110 §11.1). */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Finds the bearer token of a request, or `undefined` when it presents none. Tokens are accepted
 * only in the Authorization header (RFC 6750 §2.1; MCP forbids the query string); a token in
 * the query or two Authorization headers make the request malformed (RFC 6750 §3.1).
 */
export function bearerToken(req: IncomingMessage, url: URL): string | undefined {
  if (url.searchParams.has('access_token')) {
    throw new AppError('invalid_request', 'access tokens are accepted only in the Authorization header');
  }
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === 'authorization') count += 1;
  }
  if (count > 1) throw new AppError('invalid_request', 'send exactly one Authorization header');
  const header = req.headers.authorization;
  if (header === undefined || !/^bearer(\s|$)/i.test(header)) return undefined;
  const match = BEARER.exec(header);
  if (!match?.[1]) throw new AppError('invalid_token', 'the bearer token is malformed');
  return match[1];
}
