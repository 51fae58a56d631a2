import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { discoveryUrls } from '../../../src/auth/discovery.js';

describe('discoveryUrls', () => {
  test('rfc8414:discovery-urls a path-less issuer has the RFC 8414 URL, then the OIDC URL', () => {
    assert.deepEqual(discoveryUrls('https://id.example.com'), [
      'https://id.example.com/.well-known/oauth-authorization-server',
      'https://id.example.com/.well-known/openid-configuration',
    ]);
    assert.deepEqual(discoveryUrls('https://id.example.com/'), discoveryUrls('https://id.example.com'));
  });

  test('rfc8414:discovery-urls an issuer with a path: RFC 8414 inserted, OIDC inserted, OIDC appended', () => {
    assert.deepEqual(discoveryUrls('https://id.example.com/realms/test'), [
      'https://id.example.com/.well-known/oauth-authorization-server/realms/test',
      'https://id.example.com/.well-known/openid-configuration/realms/test',
      'https://id.example.com/realms/test/.well-known/openid-configuration',
    ]);
  });

  test('rfc8414:discovery-urls a trailing slash on the issuer path does not double the slash', () => {
    assert.deepEqual(discoveryUrls('http://127.0.0.1:8080/oidc/'), [
      'http://127.0.0.1:8080/.well-known/oauth-authorization-server/oidc',
      'http://127.0.0.1:8080/.well-known/openid-configuration/oidc',
      'http://127.0.0.1:8080/oidc/.well-known/openid-configuration',
    ]);
  });
});
