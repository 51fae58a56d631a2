import { AppError } from '../errors.js';
import { isStorableText } from '../todos/todo.js';
import type { Principal } from './principal.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** A base64url SHA-256 thumbprint (RFC 7638 §3, RFC 9449 §6.1). */
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;
const MAX_SUBJECT_LENGTH = 255;

/** What a token must be for: this server's issuer and audience, at this time. */
export interface ExpectedClaims {
  readonly issuer: string;
  readonly audience: string;
  /** Seconds since the epoch. */
  readonly now: number;
  /** Seconds of clock skew forgiven on `exp`, `nbf` and `iat`. */
  readonly tolerance: number;
  /** The oldest a token may be, in seconds since its `iat`; a token without `iat` is then refused. */
  readonly maxAge?: number;
}

const invalid = (message: string, reason?: string) =>
  new AppError('invalid_token', message, reason === undefined ? {} : { reason });

/**
 * The principal an access token's claims speak for, with the same rules whichever way the claims
 * arrived (a verified JWT, RFC 9068 §2.2, or an introspection answer, RFC 7662 §2.2): the issuer,
 * the audience (RFC 8707), the lifetime, a usable subject, the client (`client_id`, else `azp` as
 * Auth0 and Entra send, else Okta's `cid`), the scopes, and the key the token is bound to, if
 * any (`cnf.jkt`, RFC 9449 §6; the HTTP edge then demands a proof of possession). A claim of the
 * wrong shape refuses the token.
 */
export function principalFromClaims(claims: Record<string, unknown>, expected: ExpectedClaims): Principal {
  const { iss, aud, exp, nbf, iat, sub, jti } = claims;
  if (iss !== undefined && iss !== expected.issuer) throw invalid("the token's iss claim is not acceptable");
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(expected.audience)) throw invalid("the token's aud claim is not acceptable");
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    throw invalid("the token's exp claim is not acceptable");
  if (exp + expected.tolerance <= expected.now) throw invalid('the token has expired', 'expired');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf - expected.tolerance > expected.now))
    throw invalid('the token is not yet valid');
  if (iat !== undefined && (typeof iat !== 'number' || iat - expected.tolerance > expected.now))
    throw invalid("the token's iat claim is in the future");
  if (!isAcceptableSubject(sub)) throw invalid("the token's sub claim is not acceptable");
  const usableUntil = lastUsableSecond(exp, iat, expected);
  const keyThumbprint = keyBindingOf(claims.cnf);
  const grantId = claims.grant_id;
  return {
    subject: sub,
    clientId: clientIdOf(claims),
    scopes: scopesFromClaims(claims),
    issuer: expected.issuer,
    expiresAt: usableUntil,
    ...(typeof jti === 'string' && { tokenId: jti }),
    ...(keyThumbprint !== undefined && { keyThumbprint }),
    ...(typeof grantId === 'string' && isStorableText(grantId) && { grantId }),
  };
}

/**
 * When the token stops being acceptable: its `exp`, or sooner, `iat` + the maximum age when one is
 * set. As `expiresAt`, it also bounds how long a verification is cached.
 */
function lastUsableSecond(exp: number, iat: unknown, expected: ExpectedClaims): number {
  const { maxAge } = expected;
  if (maxAge === undefined) return exp;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw invalid('the token has no iat claim, so its age cannot be checked', 'too_old');
  }
  if (iat + maxAge + expected.tolerance <= expected.now) throw invalid('the token is too old', 'too_old');
  return Math.min(exp, iat + maxAge + expected.tolerance);
}

/**
 * The thumbprint a `cnf` claim binds the token to (RFC 7800 §3.1): only `jkt` (RFC 9449 §6.1) can
 * be checked here; another confirmation method (`x5t#S256` for mutual TLS, `jwk`) refuses the token.
 */
function keyBindingOf(cnf: unknown): string | undefined {
  if (cnf === undefined) return undefined;
  if (typeof cnf === 'object' && cnf !== null && !Array.isArray(cnf)) {
    const { jkt, ...others } = cnf as Record<string, unknown>;
    if (typeof jkt === 'string' && THUMBPRINT.test(jkt) && Object.keys(others).length === 0) return jkt;
  }
  throw invalid('the token is bound to a key in a way this server cannot check', 'unsupported_binding');
}

/** `client_id` (RFC 9068 §2.2), else `azp`, else `cid`; empty when the token names no client. */
function clientIdOf(claims: Record<string, unknown>): string {
  const clientId = claims.client_id ?? claims.azp ?? claims.cid ?? '';
  if (typeof clientId !== 'string' || !isStorableText(clientId))
    throw invalid("the token's client_id claim is not acceptable");
  return clientId;
}

/**
 * A token subject that can safely key todo ownership: a non-empty string of bounded length that
 * is stored unchanged (two subjects differing only in lone surrogates must not become one owner).
 */
export function isAcceptableSubject(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_SUBJECT_LENGTH &&
    isStorableText(value)
  );
}

/**
 * Reads granted scopes: `scope` as a space-separated string (RFC 9068 §2.2.3, RFC 8693 §4.2), or
 * `scp` as an array (Okta) or a string (Entra ID). A claim of any other shape makes the token
 * unusable rather than scope-less.
 */
export function scopesFromClaims(claims: Record<string, unknown>): string[] {
  const { scope, scp } = claims;
  if (scope !== undefined && typeof scope !== 'string') throw invalid('the scope claim is malformed');
  const raw = scope ?? scp;
  if (raw === undefined) return [];
  const list = typeof raw === 'string' ? raw.split(' ') : raw;
  if (!Array.isArray(list) || !list.every((s): s is string => typeof s === 'string')) {
    throw invalid('the scope claim is malformed');
  }
  const scopes = list.filter((s) => s.length > 0);
  if (!scopes.every((s) => SCOPE_TOKEN.test(s))) throw invalid('the scope claim is malformed');
  return [...new Set(scopes)];
}
