import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import type { DpopSpec } from './protocol.js';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Makes a fresh DPoP proof (RFC 9449 §4.2) for a DPoP scenario's request, synchronously: ES256
 * with node:crypto, a new `jti` each time (some 60 µs of the load generator's time).
 */
export function createProofSigner(spec: DpopSpec): () => string {
  const key = createPrivateKey({ key: spec.privateJwk as never, format: 'jwk' });
  const header = base64url({ alg: 'ES256', typ: 'dpop+jwt', jwk: spec.publicJwk });
  const ath = createHash('sha256').update(spec.accessToken).digest('base64url');
  return () => {
    const payload = base64url({
      jti: randomUUID(),
      htm: 'POST',
      htu: spec.htu,
      iat: Math.floor(Date.now() / 1000),
      ath,
    });
    const input = `${header}.${payload}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  };
}

/**
 * Proofs signed before a measured run, so that the run measures the server's check and not the
 * load generator's signing (they share the machine): `count` of them, all made now, which the
 * server accepts for a minute; past them, proofs are signed as requests are built.
 */
export function createProofPool(spec: DpopSpec, count: number): () => string {
  const sign = createProofSigner(spec);
  const pool = Array.from({ length: count }, sign);
  let next = 0;
  return () => pool[next++] ?? sign();
}
