import { AppError } from '../../errors.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

const refuse = (message: string) => new AppError('invalid_params', message);

/**
 * A `private_key_jwt` client's public keys as given at creation (RFC 7517 JWKS text), checked and
 * normalised: at least one key, each asymmetric and public only. The server never fetches keys
 * from a URL for these clients.
 */
export function checkedJwks(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refuse('the JWKS file is not JSON');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw refuse('the JWKS file has no "keys" array');
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || !['RSA', 'EC', 'OKP'].includes(String(key.kty))) {
      throw refuse('each key must be an RSA, EC or OKP public key');
    }
    if (PRIVATE_MEMBERS.some((member) => member in key)) {
      throw refuse('the JWKS holds private key material; give the public keys only');
    }
  }
  return JSON.stringify({ keys });
}
