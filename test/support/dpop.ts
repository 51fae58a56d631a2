import { createHash, KeyObject, randomUUID, sign } from 'node:crypto';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { type RawResult, sendRaw, toolCallBody } from './auth-http.js';

/** A client's DPoP key pair (RFC 9449 §4): the private key signs proofs, the public JWK goes in them. */
export interface DpopKey {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of tokens bound to this key. */
  readonly thumbprint: string;
}

export async function dpopKey(alg = 'ES256', options: { modulusLength?: number } = {}): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const publicJwk = await exportJWK(publicKey);
  return {
    alg,
    privateKey,
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
}

/** base64url(SHA-256(token)): a proof's `ath`. */
export const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface ProofOptions {
  readonly key: DpopKey;
  readonly htu: string;
  readonly htm?: string;
  /** The token the proof goes with (sets `ath`). */
  readonly accessToken?: string;
  /** Claims merged over the defaults; `undefined` removes one. */
  readonly claims?: Record<string, unknown>;
  /** Header parameters merged over the defaults; `undefined` removes one. */
  readonly header?: Record<string, unknown>;
  /** Sign with this key instead of the proof's own. */
  readonly signWith?: CryptoKey;
}

const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

/** A DPoP proof JWT (RFC 9449 §4.2), correct unless the options bend it. */
export function makeProof(options: ProofOptions): Promise<string> {
  const { key } = options;
  const claims = defined({
    jti: randomUUID(),
    htm: options.htm ?? 'POST',
    htu: options.htu,
    iat: Math.floor(Date.now() / 1000),
    ...(options.accessToken !== undefined && { ath: ath(options.accessToken) }),
    ...options.claims,
  });
  const header = defined({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...options.header });
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader(header as { alg: string })
    .sign(options.signWith ?? key.privateKey);
}

/** The hash each JWS algorithm signs with, for `signWithoutChecks`. */
const HASHES: Record<string, string> = { ES256: 'sha256', RS256: 'sha256', PS256: 'sha256' };

/**
 * Signs a compact JWS with node:crypto, without a JOSE library's own checks, for shapes such a
 * library refuses to produce: an unknown `crit` extension, a key too weak to be allowed, a
 * payload that is not JSON (given as text).
 */
export function signWithoutChecks(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | string,
  key: CryptoKey | KeyObject,
): string {
  const alg = String(header.alg);
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(text).toString('base64url')}`;
  const keyObject = key instanceof KeyObject ? key : KeyObject.from(key);
  const signature = sign(HASHES[alg] ?? 'sha256', Buffer.from(input), {
    key: keyObject,
    ...(alg.startsWith('ES') && { dsaEncoding: 'ieee-p1363' as const }),
  });
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * POSTs a tool call to `/mcp` with node:http, sending exactly the headers given: the token under
 * a scheme (`DPoP` unless said otherwise) and each proof as its own `DPoP` header line.
 */
export function postWithProof(
  mcpUrl: string,
  token: string,
  proofs: string | readonly string[],
  options: { scheme?: string; body?: string } = {},
): Promise<RawResult> {
  const list = typeof proofs === 'string' ? [proofs] : proofs;
  return sendRaw(
    mcpUrl,
    {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `${options.scheme ?? 'DPoP'} ${token}`,
      ...(list.length > 0 && { dpop: [...list] }),
    },
    options.body ?? toolCallBody('whoami'),
  );
}
