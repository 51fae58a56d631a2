import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, type ConfigInput, loadConfig } from '../../../src/config/load-config.js';

function problemsOf(input: ConfigInput): readonly string[] {
  try {
    loadConfig(input);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('ENTERPRISE_IDPS', () => {
  test('unset: no enterprise IdP is trusted', () => {
    assert.deepEqual(loadConfig({}).enterpriseIdps, []);
  });

  test('a JSON array of issuers, each with its claim and account policy defaulted', () => {
    const config = loadConfig({
      ENTERPRISE_IDPS:
        '[{"issuer":"https://acme.okta.com"},{"issuer":"http://127.0.0.1:9000","claim":"email","accounts":"existing"}]',
    });
    assert.deepEqual(config.enterpriseIdps, [
      { issuer: 'https://acme.okta.com', claim: 'sub', accounts: 'create' },
      { issuer: 'http://127.0.0.1:9000', claim: 'email', accounts: 'existing' },
    ]);
  });

  for (const value of [
    'https://acme.okta.com',
    '{"issuer":"https://acme.okta.com"}',
    '[{"issuer":"http://idp.example.com"}]',
    '[{"issuer":"https://acme.okta.com","claim":"has space"}]',
    '[{"issuer":"https://acme.okta.com","accounts":"maybe"}]',
    '[{"issuer":"https://acme.okta.com","jwks_uri":"https://elsewhere.example/jwks"}]',
  ]) {
    test(`bad configuration names ENTERPRISE_IDPS (${value})`, () => {
      const problems = problemsOf({ ENTERPRISE_IDPS: value });
      assert.ok(
        problems.length > 0 && problems.every((p) => p.includes('ENTERPRISE_IDPS')),
        JSON.stringify(problems),
      );
    });
  }

  test('enterprise IdPs need the embedded authorization server', () => {
    const problems = problemsOf({
      AUTH_ISSUER: 'https://id.example.com',
      ENTERPRISE_IDPS: '[{"issuer":"https://acme.okta.com"}]',
    });
    assert.ok(problems.some((p) => p.includes('ENTERPRISE_IDPS') && p.includes('AUTH_ISSUER')));
  });
});
