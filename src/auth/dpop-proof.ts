import { createHash } from 'node:crypto';
import {
  type CryptoKey,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWK,
  type JWTPayload,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { AppError } from '../errors.js';
import { ASYMMETRIC_ALGORITHMS } from './algorithms.js';
import { normalizeHtu } from './htu.js';
import { createKeyCache, importProofKey, jwkThumbprint } from './proof-keys.js';

/** The algorithms a proof may be signed with, as `algs` challenges and metadata list them. */
export const DPOP_ALGORITHMS = ASYMMETRIC_ALGORITHMS;
/** Longer proofs are refused unread; an RSA-8192 key and its signature fit well within this. */
export const MAX_PROOF_LENGTH = 8192;
/** RFC 9449 §11.1 lets a server refuse overlong `jti` values; a UUID or 128 random bits is far shorter. */
const MAX_JTI_LENGTH = 256;
/** JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Where accepted proofs are remembered, shared by every instance (RFC 9449 §11.1). */
export interface ProofReplayStore {
  /** Records `key` until `expiresAt` (seconds); false when it is recorded already. Atomic. */
  claim(key: string, expiresAt: number): Promise<boolean>;
}

export interface DpopProofVerifierOptions {
  readonly replay: ProofReplayStore;
  /** The URL every proof must name: the MCP resource, `$PUBLIC_URL/mcp`, not the Host header. */
  readonly htu: string;
  /** How far a proof's `iat` may be from now, either way, in seconds. */
  readonly windowSeconds?: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

/** A DPoP proof as a request presents it, with the token it must go with. */
export interface PresentedProof {
  readonly proof: string;
  readonly method: string;
  readonly accessToken: string;
  /** The token's `cnf.jkt`: the proof must be signed by this key. */
  readonly keyThumbprint: string;
}

export interface DpopProofVerifier {
  /** Resolves when the proof passes every check of RFC 9449 §4.3 and §7.1; throws an `AppError` otherwise. */
  verify(presented: PresentedProof): Promise<void>;
}

const refuse = (message: string, reason: string, cause?: unknown) =>
  new AppError('invalid_dpop_proof', message, { reason: `dpop_${reason}`, scheme: 'DPoP', cause });

/** base64url(SHA-256(ASCII(token))): the `ath` claim (RFC 9449 §4.2). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * Checks DPoP proofs at the resource server, every rule of RFC 9449 §4.3, cheap ones first: one well-formed
 * JWT (items 1–2, the caller counts the headers), `typ` `dpop+jwt` (4), an asymmetric algorithm
 * from the allow-list (5), a signature by the public key in its `jwk` header (6, 7), the required
 * claims (3), `htm` and `htu` for this request (8, 9), `iat` within the window (11), `ath` for
 * this token and its key the token's `cnf.jkt` (12); then the proof is used up, once, for every
 * instance sharing the replay store (§11.1). No server nonces are issued (item 10).
 */
export function createDpopProofVerifier(options: DpopProofVerifierOptions): DpopProofVerifier {
  const { replay, windowSeconds = 60, now = Date.now } = options;
  const expectedHtu = normalizeHtu(options.htu);
  if (expectedHtu === undefined) throw new Error(`not an http(s) URL for DPoP proofs: ${options.htu}`);
  const keys = createKeyCache();

  return {
    async verify(presented) {
      const { header, jwk } = readHeader(presented.proof);
      // Item 12's key half first: it is cheap, and it makes the key safe to look up by thumbprint.
      if (jwkThumbprint(jwk) !== presented.keyThumbprint) {
        throw new AppError('invalid_token', 'the DPoP proof is not signed by the key the token is bound to', {
          reason: 'dpop_key_mismatch',
          scheme: 'DPoP',
        });
      }
      const alg = String(header.alg);
      const key = await keys.get(`${alg}.${presented.keyThumbprint}`, () => importProofKey(jwk, alg));
      // The claims are checked as read before the signature, which covers those very bytes: the
      // replay store's round trip then overlaps the signature check instead of following it.
      const claims = checkClaims(readPayload(presented.proof), presented, {
        expectedHtu,
        now: now() / 1000,
        windowSeconds,
      });
      const replayKey = createHash('sha256')
        .update(`${presented.keyThumbprint}.${claims.jti}`)
        .digest('base64url');
      const [signed, claimed] = await Promise.allSettled([
        verifySignature(presented.proof, key, alg),
        claimOnce(replay, replayKey, Math.ceil(claims.iat) + windowSeconds),
      ]);
      // A forged proof may use up its jti; only a proof by the bound key could have used it.
      if (signed.status === 'rejected') throw signed.reason;
      if (claimed.status === 'rejected') throw claimed.reason;
      if (!claimed.value) throw refuse('the DPoP proof was used before', 'replay');
    },
  };
}

/** Items 2, 4, 5, 7: the shape, type, algorithm and public key, before any signature work. */
function readHeader(proof: string): { header: ProtectedHeaderParameters; jwk: JWK } {
  if (proof.length > MAX_PROOF_LENGTH) throw refuse('the DPoP proof is too large', 'malformed');
  if (!COMPACT_JWS.test(proof)) throw refuse('the DPoP proof is not a signed JWT', 'malformed');
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(proof);
  } catch (cause) {
    throw refuse('the DPoP proof header is malformed', 'malformed', cause);
  }
  if (header.typ !== 'dpop+jwt') throw refuse('the DPoP proof must have typ dpop+jwt', 'typ');
  if (!(DPOP_ALGORITHMS as readonly unknown[]).includes(header.alg)) {
    throw refuse('the DPoP proof algorithm is not allowed', 'alg');
  }
  const { jwk } = header;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw refuse('the DPoP proof names no public key (jwk)', 'jwk');
  }
  if (PRIVATE_MEMBERS.some((member) => member in jwk) || jwkThumbprint(jwk) === undefined) {
    throw refuse('the DPoP proof key must be a public key', 'jwk');
  }
  return { header, jwk };
}

/** The claims as the proof states them, before its signature is checked. */
function readPayload(proof: string): JWTPayload {
  try {
    return decodeJwt(proof);
  } catch (cause) {
    throw refuse('the DPoP proof claims are malformed', 'malformed', cause);
  }
}

/** Item 6: the signature, by the key in the header; jose also refuses unknown `crit` extensions. */
async function verifySignature(proof: string, key: CryptoKey, alg: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(proof, key, { typ: 'dpop+jwt', algorithms: [alg] });
    return payload;
  } catch (cause) {
    if (cause instanceof errors.JWSSignatureVerificationFailed) {
      throw refuse('the DPoP proof signature is invalid', 'signature', cause);
    }
    throw refuse('the DPoP proof is invalid', 'invalid', cause);
  }
}

/** Items 3, 8, 9, 11 and the `ath` half of 12. */
function checkClaims(
  payload: JWTPayload,
  presented: PresentedProof,
  expected: { expectedHtu: string; now: number; windowSeconds: number },
): { jti: string; iat: number } {
  const { jti, iat, htm, htu, ath } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw refuse('the DPoP proof needs a jti of at most 256 characters', 'claims');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw refuse('the DPoP proof needs an iat', 'claims');
  if (htm !== presented.method) throw refuse('the DPoP proof is for another HTTP method', 'htm');
  if (typeof htu !== 'string' || normalizeHtu(htu) !== expected.expectedHtu) {
    throw refuse('the DPoP proof is for another URL', 'htu');
  }
  if (Math.abs(expected.now - iat) > expected.windowSeconds) {
    throw refuse('the DPoP proof was not made just now', 'iat');
  }
  if (ath !== tokenHash(presented.accessToken)) {
    throw refuse('the DPoP proof is not made for this access token (ath)', 'ath');
  }
  return { jti, iat };
}

/** The replay store's answer; a store that cannot answer makes the request fail closed (503). */
async function claimOnce(replay: ProofReplayStore, key: string, expiresAt: number): Promise<boolean> {
  try {
    return await replay.claim(key, expiresAt);
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('temporarily_unavailable', 'DPoP proofs cannot be checked now', { cause });
  }
}
