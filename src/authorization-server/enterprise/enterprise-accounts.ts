import type { JWTPayload } from 'jose';
import type { UserRecord } from '../../storage/auth-store.js';
import type { UserDirectory } from '../users.js';
import { grantError } from './grant-error.js';
import type { TrustedIdp } from './verify-id-jag.js';

/**
 * The account an ID-JAG speaks for. Linking policy: the IdP's configured claim (`sub`, `email` …),
 * lower-cased, is a username. An admin links a person ahead of time by creating that account
 * (`users add alice@acme.example --role admin`); otherwise, with `accounts: create`, the first use
 * creates it with role `user` and a random password nobody is told; with `accounts: existing` an
 * unknown person is refused.
 */
export async function accountFor(
  idp: TrustedIdp,
  claims: JWTPayload,
  users: UserDirectory,
): Promise<UserRecord> {
  const value = claims[idp.claim];
  if (typeof value !== 'string' || value.trim() === '') {
    throw grantError('invalid_grant', `the ID-JAG has no ${idp.claim} claim to name the person by`);
  }
  const username = value.trim().toLowerCase();
  const existing = await users.findByUsername(username);
  if (existing) return existing;
  if (idp.accounts === 'existing') {
    throw grantError('invalid_grant', 'the person has no account here; an admin must create it first');
  }
  try {
    return (await users.add(username, 'user')).user;
  } catch {
    // Another request may have created it first; anything else (a claim no username can be) is refused.
    const raced = await users.findByUsername(username);
    if (raced) return raced;
    throw grantError('invalid_grant', `the ${idp.claim} claim cannot name an account here`);
  }
}
