import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scopesFromClaims } from '../../../src/auth/scopes.js';
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
