import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import type { AuthStore, SigningKeyRecord } from '../storage/auth-store.js';

/**
 * A retired key stays published this long, well past the lifetime of any token it signed
 * (access tokens live 15 minutes, ID tokens an hour), so rotation never breaks a valid token.
 */
export const RETIRED_KEY_RETENTION_MS = 24 * 3_600_000;

async function newSigningKey(now: Date): Promise<SigningKeyRecord> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateJwk: JSON.stringify(jwk), createdAt: now.toISOString() };
}

/** Generates a key that signs from now on; older keys stay published until they are pruned. */
export async function rotateSigningKey(store: AuthStore, now: Date = new Date()): Promise<SigningKeyRecord> {
  const key = await newSigningKey(now);
  await store.addSigningKey(key, now.toISOString());
  return key;
}

/** Deletes retired keys past their retention; returns their key ids. */
export async function pruneSigningKeys(store: AuthStore, now: Date = new Date()): Promise<string[]> {
  const expired = (await store.listSigningKeys()).filter(
    (key) =>
      key.retiredAt !== undefined && now.getTime() - Date.parse(key.retiredAt) > RETIRED_KEY_RETENTION_MS,
  );
  for (const key of expired) await store.deleteSigningKey(key.kid);
  return expired.map((key) => key.kid);
}

/**
 * The private JWKS for the provider, newest first (the first key signs). On a fresh database the
 * first key is generated here, so no key is ever committed or shipped.
 */
export async function loadSigningKeys(store: AuthStore, now: Date = new Date()): Promise<JWK[]> {
  await pruneSigningKeys(store, now);
  let keys = await store.listSigningKeys();
  if (keys.length === 0) {
    // Instances starting together on an empty database must agree on one first key: the
    // first-writer-wins secret elects it, and a losing insert of that same key is harmless.
    const candidate = await newSigningKey(now);
    const elected = JSON.parse(
      await store.secret('first-signing-key', () => JSON.stringify(candidate)),
    ) as SigningKeyRecord;
    await store.addSigningKey(elected, now.toISOString()).catch(() => undefined);
    keys = await store.listSigningKeys();
  }
  return keys.map((key) => JSON.parse(key.privateJwk) as JWK);
}

/** One line per key: id, when it was created, and whether it signs or is retired. */
export async function listSigningKeyIds(store: AuthStore): Promise<string[]> {
  return (await store.listSigningKeys()).map(
    (key, index) =>
      `${key.kid}  created ${key.createdAt}  ${index === 0 ? 'current' : `retired ${key.retiredAt ?? key.createdAt}`}`,
  );
}

/** RSA private key members, which never leave the authorization server. */
const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);

/**
 * Every key in the database as a public JWK: the signing one, retired ones still valid, and one
 * that `keys rotate` added but a running server does not sign with yet (another instance may).
 */
export async function publicSigningKeys(store: AuthStore): Promise<JSONWebKeySet> {
  const keys = (await store.listSigningKeys()).map((key) => {
    const jwk = JSON.parse(key.privateJwk) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.has(name))) as JWK;
  });
  return { keys };
}
