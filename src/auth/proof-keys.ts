import { createHash } from 'node:crypto';
import { type CryptoKey, importJWK, type JWK } from 'jose';
import { AppError } from '../errors.js';

/** The members of a public key that its RFC 7638 thumbprint covers, by key type, in lexicographic order. */
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * The members of an asymmetric public JWK that make the key (RFC 7638 §3.2), in lexicographic
 * order, or `undefined` for a key of no asymmetric type or with a member that is not a string.
 */
function keyMembers(jwk: JWK): Record<string, string> | undefined {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)];
  if (members === undefined) return undefined;
  const required: Record<string, string> = {};
  for (const member of members) {
    const value = (jwk as Record<string, unknown>)[member];
    if (typeof value !== 'string') return undefined;
    required[member] = value;
  }
  return required;
}

/**
 * The RFC 7638 SHA-256 thumbprint of an asymmetric public JWK (§3.2: the required members only,
 * in lexicographic order, no whitespace), or `undefined` when it is not such a key. The
 * thumbprint covers the whole public key.
 */
export function jwkThumbprint(jwk: JWK): string | undefined {
  const members = keyMembers(jwk);
  return members && createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/**
 * Imported proof keys, by algorithm and thumbprint: a client signs every proof with the same key,
 * and importing it costs several times what verifying a signature does. The thumbprint names the
 * whole public key (RFC 7638), so a key found here is the key of the proof being checked.
 */
export function createKeyCache(maxEntries = 10_000) {
  const keys = new Map<string, CryptoKey>();
  return {
    async get(id: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
      const cached = keys.get(id);
      if (cached !== undefined) return cached;
      const key = await load();
      if (keys.size >= maxEntries) {
        const oldest = keys.keys().next();
        if (!oldest.done) keys.delete(oldest.value);
      }
      keys.set(id, key);
      return key;
    },
  };
}

/**
 * A proof's public key, for its algorithm (RFC 7517), made from the members its thumbprint covers
 * and nothing else (no `key_ops`, `use` or `alg` of the header's choosing), so that a key cached
 * under a thumbprint is the same whichever proof first brought it. One that cannot be used
 * refuses the proof.
 */
export async function importProofKey(jwk: JWK, alg: string): Promise<CryptoKey> {
  try {
    const key = await importJWK({ ...keyMembers(jwk), ext: true }, alg);
    if (key instanceof Uint8Array || key.type !== 'public') throw new Error('not a public key');
    return key;
  } catch (cause) {
    throw new AppError('invalid_dpop_proof', 'the DPoP proof key cannot be used', {
      reason: 'dpop_jwk',
      scheme: 'DPoP',
      cause,
    });
  }
}
