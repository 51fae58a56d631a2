import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { principalFromClaims, scopesFromClaims } from '../../../src/auth/claims.js';
import { AppError } from '../../../src/errors.js';

function isInvalidToken(error: unknown): boolean {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.code, 'invalid_token');
  return true;
}

describe('scopesFromClaims', () => {
  test('rfc9068:scope-claim a space-separated scope string is split into scopes', () => {
    assert.deepEqual(scopesFromClaims({ scope: 'create:todos read:todos' }), ['create:todos', 'read:todos']);
  });

  test('rfc9068:scope-claim repeated spaces and duplicates do not produce empty or repeated scopes', () => {
    assert.deepEqual(scopesFromClaims({ scope: ' create:todos  read:todos create:todos ' }), [
      'create:todos',
      'read:todos',
    ]);
  });

  test('rfc9068:scope-claim no scope claim and an empty scope string both mean no scopes', () => {
    assert.deepEqual(scopesFromClaims({}), []);
    assert.deepEqual(scopesFromClaims({ scope: '' }), []);
  });

  test('rfc9068:scope-claim an Okta-style scp array is honoured', () => {
    assert.deepEqual(scopesFromClaims({ scp: ['read:todos', 'delete:todos'] }), [
      'read:todos',
      'delete:todos',
    ]);
  });

  test('rfc9068:scope-claim an Entra-style scp string is honoured', () => {
    assert.deepEqual(scopesFromClaims({ scp: 'create:todos delete:todos' }), [
      'create:todos',
      'delete:todos',
    ]);
  });

  test('rfc9068:scope-claim scope wins over scp when a token carries both', () => {
    assert.deepEqual(scopesFromClaims({ scope: 'create:todos', scp: ['delete:todos'] }), ['create:todos']);
  });

  test('rfc9068:scope-claim scope names are case-sensitive and kept as sent (RFC 6749 §3.3)', () => {
    assert.deepEqual(scopesFromClaims({ scope: 'Read:Todos' }), ['Read:Todos']);
  });

  test('rfc9068:scope-claim a scope claim that is a number, a boolean or an object is rejected', () => {
    for (const scope of [42, true, { 'create:todos': true }]) {
      assert.throws(() => scopesFromClaims({ scope }), isInvalidToken, JSON.stringify(scope));
    }
  });

  test('rfc9068:scope-claim a scope claim that is an array is rejected (scope is a string, RFC 9068 §2.2.3)', () => {
    assert.throws(() => scopesFromClaims({ scope: ['create:todos'] }), isInvalidToken);
  });

  test('rfc9068:scope-claim an scp array with a non-string entry is rejected', () => {
    assert.throws(() => scopesFromClaims({ scp: ['create:todos', 7] }), isInvalidToken);
    assert.throws(() => scopesFromClaims({ scp: [null] }), isInvalidToken);
  });

  test('rfc9068:scope-claim an scp of another type is rejected', () => {
    assert.throws(() => scopesFromClaims({ scp: { read: true } }), isInvalidToken);
  });

  test('rfc9068:scope-claim a scope with characters outside scope-token is rejected (RFC 6749 §3.3)', () => {
    for (const bad of ['create:todos "x"', 'back\\slash', 'tab\there', 'caf\u00e9', 'nul\u0000']) {
      assert.throws(() => scopesFromClaims({ scope: bad }), isInvalidToken, JSON.stringify(bad));
    }
  });
});

describe('principalFromClaims', () => {
  const expected = {
    issuer: 'https://issuer.example',
    audience: 'https://todos.example/mcp',
    now: 1000,
    tolerance: 30,
  };
  const base = {
    iss: expected.issuer,
    aud: expected.audience,
    sub: 'alice',
    exp: 2000,
    scope: 'create:todos',
  };

  test('reads subject, scopes, expiry and token id', () => {
    assert.deepEqual(principalFromClaims({ ...base, jti: 'j1', client_id: 'app' }, expected), {
      subject: 'alice',
      clientId: 'app',
      scopes: ['create:todos'],
      issuer: expected.issuer,
      expiresAt: 2000,
      tokenId: 'j1',
    });
  });

  test('takes the client from client_id, then azp (Auth0, Entra), then cid (Okta)', () => {
    assert.equal(
      principalFromClaims({ ...base, client_id: 'a', azp: 'b', cid: 'c' }, expected).clientId,
      'a',
    );
    assert.equal(principalFromClaims({ ...base, azp: 'b', cid: 'c' }, expected).clientId, 'b');
    assert.equal(principalFromClaims({ ...base, cid: 'c' }, expected).clientId, 'c');
    assert.equal(principalFromClaims(base, expected).clientId, '');
  });

  test('refuses a client id of the wrong shape rather than blanking it', () => {
    for (const client_id of [7, ['a'], 'a\u0000b', 'a\uD800'])
      assert.throws(() => principalFromClaims({ ...base, client_id }, expected), isInvalidToken);
  });

  test('refuses the wrong issuer or audience, and accepts an audience list that names ours', () => {
    assert.throws(
      () => principalFromClaims({ ...base, iss: 'https://other.example' }, expected),
      isInvalidToken,
    );
    assert.throws(
      () => principalFromClaims({ ...base, aud: 'https://other.example/mcp' }, expected),
      isInvalidToken,
    );
    assert.equal(principalFromClaims({ ...base, aud: ['x', expected.audience] }, expected).subject, 'alice');
  });

  test('applies the lifetime with the tolerance', () => {
    assert.equal(principalFromClaims({ ...base, exp: 980 }, expected).expiresAt, 980);
    assert.throws(() => principalFromClaims({ ...base, exp: 970 }, expected), isInvalidToken);
    assert.throws(() => principalFromClaims({ ...base, exp: '2000' }, expected), isInvalidToken);
    assert.throws(() => principalFromClaims({ ...base, nbf: 1031 }, expected), isInvalidToken);
    assert.throws(() => principalFromClaims({ ...base, iat: 1031 }, expected), isInvalidToken);
    assert.equal(principalFromClaims({ ...base, nbf: 1030, iat: 1030 }, expected).subject, 'alice');
  });

  test('refuses a missing or unusable subject', () => {
    for (const sub of [undefined, '', 7, 'x'.repeat(256), 'a\uDC00'])
      assert.throws(() => principalFromClaims({ ...base, sub }, expected), isInvalidToken);
  });

  test('rfc9449:key-binding reads the key a token is bound to (cnf.jkt) and refuses bindings it cannot check', () => {
    const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
    assert.equal(principalFromClaims({ ...base, cnf: { jkt } }, expected).keyThumbprint, jkt);
    assert.equal(principalFromClaims(base, expected).keyThumbprint, undefined);
    for (const cnf of [
      { jkt: 'abc' },
      { jkt: `${jkt}=` },
      { jkt: 7 },
      { 'x5t#S256': jkt },
      { jkt, 'x5t#S256': jkt },
      { jwk: { kty: 'EC' } },
      {},
      [jkt],
      jkt,
      null,
    ]) {
      assert.throws(
        () => principalFromClaims({ ...base, cnf }, expected),
        isInvalidToken,
        JSON.stringify(cnf),
      );
    }
  });

  test("reads the embedded server's grant_id, and ignores one that is not text", () => {
    assert.equal(principalFromClaims({ ...base, grant_id: 'g-1' }, expected).grantId, 'g-1');
    assert.equal(principalFromClaims({ ...base, grant_id: 7 }, expected).grantId, undefined);
  });
});

describe('principalFromClaims with a maximum age', () => {
  const expected = {
    issuer: 'https://id.example',
    audience: 'https://todos.example/mcp',
    now: 10_000,
    tolerance: 30,
  };
  const claims = (extra: Record<string, unknown>) => ({
    iss: expected.issuer,
    aud: expected.audience,
    sub: 'alice',
    exp: 20_000,
    ...extra,
  });

  test('auth:max-token-age a token is usable until iat + maximum age (+ tolerance), never past exp', () => {
    const young = principalFromClaims(claims({ iat: 9_900 }), { ...expected, maxAge: 300 });
    assert.equal(young.expiresAt, 10_230, 'a cached verification ends when the token grows too old');
    const short = principalFromClaims(claims({ iat: 9_900, exp: 10_100 }), { ...expected, maxAge: 300 });
    assert.equal(short.expiresAt, 10_100);
    assert.equal(principalFromClaims(claims({ iat: 9_900 }), expected).expiresAt, 20_000, 'no maximum: exp');
  });

  test('auth:max-token-age a token older than the maximum, or without iat, is refused', () => {
    assert.throws(
      () => principalFromClaims(claims({ iat: 9_670 }), { ...expected, maxAge: 300 }),
      isInvalidToken,
    );
    assert.throws(() => principalFromClaims(claims({}), { ...expected, maxAge: 300 }), isInvalidToken);
    assert.ok(principalFromClaims(claims({}), expected), 'without a maximum, iat stays optional');
  });
});
