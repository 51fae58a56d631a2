import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal, TokenVerifier } from '../../../src/auth/principal.js';
import { withTokenCache } from '../../../src/auth/token-cache.js';
import { AppError } from '../../../src/errors.js';

/** A verifier that counts its calls; tokens named `bad…` are refused, others expire at `exp`. */
function countingVerifier(exp: number) {
  const calls: string[] = [];
  const verifier: TokenVerifier = {
    async verify(token) {
      calls.push(token);
      if (token.startsWith('bad')) throw new AppError('invalid_token', 'bad');
      const principal: Principal = { subject: token, clientId: 'c', scopes: [], issuer: 'i', expiresAt: exp };
      return principal;
    },
    async ready() {},
  };
  return { verifier, calls };
}

test('a valid token is verified once and then served from the cache', async () => {
  let now = 1_000_000;
  const { verifier, calls } = countingVerifier(now / 1000 + 600);
  const cached = withTokenCache(verifier, { now: () => now });
  assert.equal((await cached.verify('alice')).subject, 'alice');
  now += 1000;
  assert.equal((await cached.verify('alice')).subject, 'alice');
  assert.deepEqual(calls, ['alice']);
});

test("an entry never outlives the token's exp", async () => {
  let now = 1_000_000;
  const { verifier, calls } = countingVerifier(now / 1000 + 10);
  const cached = withTokenCache(verifier, { now: () => now });
  await cached.verify('alice');
  now += 10_000;
  await cached.verify('alice');
  assert.deepEqual(calls, ['alice', 'alice']);
});

test('an entry expires after maxAgeMs even when the token lives longer', async () => {
  let now = 1_000_000;
  const { verifier, calls } = countingVerifier(now / 1000 + 3600);
  const cached = withTokenCache(verifier, { now: () => now, maxAgeMs: 5000 });
  await cached.verify('alice');
  now += 4999;
  await cached.verify('alice');
  now += 2;
  await cached.verify('alice');
  assert.deepEqual(calls, ['alice', 'alice']);
});

test('failures are never cached', async () => {
  const { verifier, calls } = countingVerifier(Date.now() / 1000 + 600);
  const cached = withTokenCache(verifier);
  for (let i = 0; i < 3; i += 1) await assert.rejects(cached.verify('bad-token'), { code: 'invalid_token' });
  assert.equal(calls.length, 3);
});

test('the cache holds at most maxEntries tokens, dropping the oldest', async () => {
  const { verifier, calls } = countingVerifier(Date.now() / 1000 + 600);
  const cached = withTokenCache(verifier, { maxEntries: 2 });
  for (const token of ['a', 'b', 'c']) await cached.verify(token);
  await cached.verify('c');
  await cached.verify('b');
  await cached.verify('a');
  assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
});
