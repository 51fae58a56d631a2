import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { createKeyCache, jwkThumbprint } from '../../../src/auth/proof-keys.js';
import { dpopKey } from '../../support/dpop.js';

test('rfc9449:key-binding the RFC 7638 thumbprint matches jose for EC, RSA and OKP keys, and covers only the key', async () => {
  for (const alg of ['ES256', 'ES384', 'RS256', 'EdDSA']) {
    const key = await dpopKey(alg);
    assert.equal(jwkThumbprint(key.publicJwk), await calculateJwkThumbprint(key.publicJwk, 'sha256'), alg);
    assert.equal(jwkThumbprint({ ...key.publicJwk, alg, use: 'sig', kid: 'x' }), key.thumbprint, alg);
  }
  const ec = (await dpopKey('ES256')).publicJwk;
  assert.equal(jwkThumbprint({ kty: 'oct', k: 'c2VjcmV0' }), undefined);
  assert.equal(jwkThumbprint({ ...ec, x: 7 } as never), undefined);
  const { y: _y, ...withoutY } = ec;
  assert.equal(jwkThumbprint(withoutY), undefined);
  assert.equal(jwkThumbprint({ kty: 'EC ' } as never), undefined);
});

test('the key cache loads a key once per id and forgets the oldest when full', async () => {
  const cache = createKeyCache(2);
  let loads = 0;
  const load = async () => {
    loads += 1;
    return { type: 'public' } as never;
  };
  await cache.get('a', load);
  await cache.get('a', load);
  assert.equal(loads, 1);
  await cache.get('b', load);
  await cache.get('c', load);
  await cache.get('a', load);
  assert.equal(loads, 4, 'a was evicted when c came');
});
