import { AppError } from '../errors.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Reads granted scopes from a token's claims: `scope` as a space-separated string (RFC 9068 §2.2.3,
 * RFC 8693 §4.2), or `scp` as an array (Okta) or a string (Entra ID). A claim of any other shape
 * makes the token unusable rather than scope-less.
 */
export function scopesFromClaims(claims: Record<string, unknown>): string[] {
  const { scope, scp } = claims;
  if (scope !== undefined && typeof scope !== 'string') {
    throw new AppError('invalid_token', 'the scope claim is malformed');
  }
  const raw = scope ?? scp;
  if (raw === undefined) return [];
  const list = typeof raw === 'string' ? raw.split(' ') : raw;
  if (!Array.isArray(list) || !list.every((s): s is string => typeof s === 'string')) {
    throw new AppError('invalid_token', 'the scope claim is malformed');
  }
  const scopes = list.filter((s) => s.length > 0);
  if (!scopes.every((s) => SCOPE_TOKEN.test(s))) {
    throw new AppError('invalid_token', 'the scope claim is malformed');
  }
  return [...new Set(scopes)];
}
