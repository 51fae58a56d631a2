import {
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { AppError } from '../errors.js';
import { ASYMMETRIC_ALGORITHMS } from './algorithms.js';
import { principalFromClaims } from './claims.js';
import type { Discovery } from './discovery.js';
import { createKeySet, type KeySetOptions, type KeySource } from './jwks.js';
import type { TokenVerifier } from './principal.js';

/** Asymmetric algorithms only: no `none`, never HMAC with a public key set (RFC 8725 §3.1, §3.2). */
export const ALLOWED_ALGORITHMS = ASYMMETRIC_ALGORITHMS;

/** `at+jwt` per RFC 9068 §2.1; Keycloak and Auth0 send `JWT`; some providers send none. */
const LENIENT_TYPES = new Set(['at+jwt', 'application/at+jwt', 'jwt', 'application/jwt']);
const STRICT_TYPES = new Set(['at+jwt', 'application/at+jwt']);
/** Headers that would let a token name its own key; keys come only from the issuer's `jwks_uri`. */
const EMBEDDED_KEY_HEADERS = ['jku', 'jwk', 'x5u', 'x5c'] as const;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const MAX_TOKEN_LENGTH = 8192;

export interface JwtVerifierOptions extends KeySetOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly discovery: Discovery;
  /** The keys to verify with; by default the issuer's JWKS, found through discovery. */
  readonly keys?: KeySource;
  /** Accept only `at+jwt` (RFC 9068) instead of also `JWT` and an absent `typ`. */
  readonly strictType?: boolean;
  readonly clockToleranceSec?: number;
  /** The oldest a token may be, in seconds since its `iat` (`AUTH_MAX_TOKEN_AGE`). */
  readonly maxTokenAgeS?: number;
  readonly now?: () => number;
}

/**
 * Verifies RFC 9068 JWT access tokens against the issuer's JWKS, following the JWT BCP
 * (RFC 8725): explicit algorithm allow-list, exact issuer, audience (RFC 8707), time claims with
 * a small tolerance and an accepted `typ`; the claims are then read as for any access token.
 */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const { issuer, audience, discovery, strictType = false, clockToleranceSec = 30, now = Date.now } = options;
  const types = strictType ? STRICT_TYPES : LENIENT_TYPES;
  const keys = options.keys ?? createKeySet(discovery, options);

  return {
    async verify(token) {
      checkShape(token);
      checkHeader(decodeHeader(token), types);
      const getKey = await keys.get();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer,
          audience,
          algorithms: [...ALLOWED_ALGORITHMS],
          clockTolerance: clockToleranceSec,
          requiredClaims: ['exp', 'sub'],
          currentDate: new Date(now()),
        }));
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof errors.JOSEError) {
          const { message, reason } = describe(error);
          throw new AppError('invalid_token', message, { cause: error, reason });
        }
        throw error;
      }
      return principalFromClaims(payload, {
        issuer,
        audience,
        now: now() / 1000,
        tolerance: clockToleranceSec,
        ...(options.maxTokenAgeS !== undefined && { maxAge: options.maxTokenAgeS }),
      });
    },

    ready: () => keys.ready(),
  };
}

function invalid(reason: string, cause?: unknown): AppError {
  return new AppError('invalid_token', reason, { cause });
}

function checkShape(token: string): void {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('the token is too large');
  if (!COMPACT_JWS.test(token)) throw invalid('the token is not a signed JWT');
}

function decodeHeader(token: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(token);
  } catch (cause) {
    throw invalid('the token header is malformed', cause);
  }
}

function checkHeader(header: ProtectedHeaderParameters, types: ReadonlySet<string>): void {
  if (!(ALLOWED_ALGORITHMS as readonly unknown[]).includes(header.alg)) {
    throw invalid('the token algorithm is not allowed');
  }
  if (EMBEDDED_KEY_HEADERS.some((name) => header[name] !== undefined)) {
    throw invalid('the token names its own key');
  }
  if (header.typ !== undefined && (typeof header.typ !== 'string' || !types.has(header.typ.toLowerCase()))) {
    throw invalid('the token type is not an access token');
  }
  if (header.typ === undefined && types === STRICT_TYPES) {
    throw invalid('the token type is not an access token');
  }
}

/** A safe message and a metrics reason for each way jose can refuse a token. */
function describe(error: InstanceType<typeof errors.JOSEError>): { message: string; reason: string } {
  if (error instanceof errors.JWTExpired) return { message: 'the token has expired', reason: 'expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = ['iss', 'aud', 'nbf', 'sub', 'exp', 'iat'].includes(error.claim) ? error.claim : 'other';
    return { message: `the token's ${error.claim} claim is not acceptable`, reason: `claim_${claim}` };
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return { message: 'the token was signed by an unknown key', reason: 'unknown_key' };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return { message: 'the token signature is invalid', reason: 'signature' };
  }
  return { message: 'the token is invalid', reason: 'invalid' };
}
